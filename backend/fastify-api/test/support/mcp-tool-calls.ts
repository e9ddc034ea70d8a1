import type { ServiceMetrics } from '@codiesvibe/shared';

/**
 * How many calls of one MCP tool an in-process mcp-server has answered, read from its own
 * `mcp_tool_call_duration_seconds` histogram (the count series of every outcome).
 */
export async function mcpToolCalls(metrics: ServiceMetrics, tool: string): Promise<number> {
  const histogram = metrics.registry.getSingleMetric('mcp_tool_call_duration_seconds');
  if (!histogram) return 0;
  const { values } = await histogram.get();
  // A histogram's values are its bucket, sum and count series, each named.
  return (values as { metricName?: string; labels: Record<string, unknown>; value: number }[])
    .filter((sample) => sample.metricName === 'mcp_tool_call_duration_seconds_count' && sample.labels.tool === tool)
    .reduce((sum, sample) => sum + sample.value, 0);
}
