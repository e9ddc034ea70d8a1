import { pickFreePort } from '../../src/native/ports.js';

/*
 * The ports the example projects of the native plan tests declare for their api and gateway. A
 * taken port that is not published is moved by the plan builder (a stack already running on this
 * machine holds 4000 and 4001), so the examples declare ports that are free when the tests start.
 */
export const API_PORT = String(await pickFreePort());
export const GATEWAY_PORT = String(await pickFreePort());
