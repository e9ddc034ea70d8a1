export {
  createShutdown,
  type CloseFn,
  type CreateShutdownOptions,
  type ProcessEvents,
  type Shutdown,
} from './shutdown.js';
export { retireOnSignal, type Retirement, type RetireOptions } from './retire-on-signal.js';
