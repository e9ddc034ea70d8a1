import type { AccessLog } from '../observability/access-log.js';
import type { RouteStats } from '../observability/gateway.metrics.js';
import type { Upstream } from '../upstream/upstream.js';
import type { SessionAffinity } from './session-affinity.js';

/** One entry of the route table: which upstream serves a path prefix, and how patiently. */
export interface ProxyRoute {
  /** Short name used in metrics and logs: api, ai, mcp, frontend. */
  name: string;
  upstream: Upstream;
  stats: RouteStats;
  /** How long the upstream may take to send response headers before the client gets 504. */
  headersTimeoutMs: number;
  /** Longest silence allowed between body chunks; 0 for long-lived streams. */
  bodyTimeoutMs: number;
  /** Keeps a client's session on the replica that created it (MCP sessions live in one process). */
  affinity?: SessionAffinity;
  /** Set when ACCESS_LOG is on: one line per proxied request. */
  accessLog?: AccessLog;
}
