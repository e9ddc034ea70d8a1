import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createToolsClient } from './api/tools-client.js';
import { App } from './app.js';
import { parseRuntimeConfig } from './config/runtime-config.js';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('FRONTEND_ERR_NO_ROOT: index.html has no #root element');

try {
  // /config.js ran before this module (index.html loads it first) and set the runtime config.
  const config = parseRuntimeConfig(window.__CODIESVIBE_CONFIG__);
  const services = { baseUrl: config.apiBaseUrl, tools: createToolsClient({ baseUrl: config.apiBaseUrl }) };
  createRoot(root).render(
    <StrictMode>
      <App services={services} />
    </StrictMode>,
  );
} catch (error) {
  // A broken deployment config: say so plainly instead of showing a blank page.
  root.textContent = error instanceof Error ? error.message : String(error);
  root.className = 'boot-error';
}
