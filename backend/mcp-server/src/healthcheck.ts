import { runHealthcheck } from '@codiesvibe/shared/healthcheck';
import { DEFAULT_PORT } from './config/defaults.js';

// The Docker HEALTHCHECK (`node dist/healthcheck.js`): probes /health/ready on this container's PORT.
await runHealthcheck({ defaultPort: DEFAULT_PORT });
