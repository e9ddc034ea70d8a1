// The image's HEALTHCHECK (`node dist/healthcheck.js`): probes /health/ready with Node's fetch.
import { runHealthcheck } from '@codiesvibe/shared/healthcheck';

await runHealthcheck({ defaultPort: 4001 });
