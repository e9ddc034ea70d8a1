export { pickFreePort } from './free-port.js';
