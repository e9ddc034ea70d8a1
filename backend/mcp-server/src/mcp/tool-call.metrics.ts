import type { ServiceMetrics } from '@codiesvibe/shared';
import { Histogram } from 'prom-client';
import type { ObserveToolCall } from './mcp-deps.js';

/**
 * `mcp_tool_call_duration_seconds{tool, outcome}` on the service registry: every /mcp request is
 * one HTTP route, so only this says which tools are used, how often they fail and how slow they are.
 */
export function createToolCallMetrics(metrics: ServiceMetrics): ObserveToolCall {
  const histogram = new Histogram({
    name: 'mcp_tool_call_duration_seconds',
    help: 'Duration of MCP tool calls in seconds, by tool and outcome (ok, or error for a tool error result)',
    labelNames: ['tool', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [metrics.registry],
  });
  return (tool, outcome, durationMs) => histogram.observe({ tool, outcome }, durationMs / 1000);
}
