export { createShutdown, type CloseFn, type CreateShutdownOptions, type Shutdown, type SignalSource } from './shutdown.js';
