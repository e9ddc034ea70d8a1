export {
  runService,
  type ListeningApp,
  type RunServiceOptions,
  type ServiceKit,
  type StartedService,
} from './run-service.js';
