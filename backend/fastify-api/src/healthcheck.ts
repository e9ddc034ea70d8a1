import { runHealthcheck } from '@codiesvibe/shared/healthcheck';
import { DEFAULT_PORT } from './service-info.js';

// The image's HEALTHCHECK: GET http://127.0.0.1:$PORT/health/ready, exit 0 on 2xx, else 1.
await runHealthcheck({ defaultPort: DEFAULT_PORT });
