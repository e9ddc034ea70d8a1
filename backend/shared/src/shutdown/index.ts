export {
  createShutdown,
  type CloseFn,
  type CreateShutdownOptions,
  type ProcessEvents,
  type Shutdown,
} from './shutdown.js';
