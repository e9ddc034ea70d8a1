import { runHealthcheck } from '@codiesvibe/shared/healthcheck';

await runHealthcheck({ defaultPort: 4000 });
