export {
  createShutdown,
  type CloseFn,
  type CreateShutdownOptions,
  type ProcessEvents,
  type Shutdown,
  type SignalSource,
} from './shutdown.js';
