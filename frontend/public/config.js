/* global window */
// Runtime configuration, replaced at container start. apiBaseUrl '' = same origin (the gateway).
window.__CODIESVIBE_CONFIG__ = { apiBaseUrl: '' };
