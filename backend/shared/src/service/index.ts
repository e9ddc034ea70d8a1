export {
  runService,
  type ListeningApp,
  type RunServiceOptions,
  type ServiceKit,
  type StartedService,
} from './run-service.js';
export {
  releaseMemoryWhenIdle,
  type IdleMemoryRelease,
  type IdleMemoryReleaseOptions,
  type MemoryRelease,
} from './idle-memory-release.js';
