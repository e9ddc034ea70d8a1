/**
 * The `/api/docs` page: plain HTML and a small script that renders `/api/docs/openapi.json`.
 * Self-contained on purpose (no CDN): the platform runs on machines without internet access.
 */
export const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>CodiesVibe API docs</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 960px; padding: 24px; color: #1f2328; }
  h1 { margin-bottom: 4px; } .lead { color: #59636e; margin-top: 0; }
  .op { border: 1px solid #d1d9e0; border-radius: 8px; margin: 12px 0; }
  .op > summary { cursor: pointer; padding: 10px 14px; list-style: none; display: flex; gap: 12px; align-items: baseline; }
  .method { font: bold 12px monospace; padding: 2px 8px; border-radius: 4px; color: #fff; min-width: 52px; text-align: center; }
  .get { background: #0969da; } .post { background: #1a7f37; } .patch { background: #9a6700; } .delete { background: #cf222e; }
  .path { font-family: monospace; font-weight: 600; } .summary { color: #59636e; }
  .body { padding: 0 14px 12px; } table { border-collapse: collapse; width: 100%; margin: 8px 0; }
  td, th { border-top: 1px solid #d1d9e0; padding: 4px 8px; text-align: left; vertical-align: top; font-size: 14px; }
  code, pre { font-family: ui-monospace, monospace; font-size: 13px; } pre { background: #f6f8fa; padding: 10px; overflow: auto; border-radius: 6px; }
  .lock { color: #9a6700; font-size: 13px; }
</style>
</head>
<body>
<h1 id="title">CodiesVibe API</h1>
<p class="lead" id="description">Loading <a href="/api/docs/openapi.json">openapi.json</a>…</p>
<div id="operations"></div>
<h2>Schemas</h2>
<div id="schemas"></div>
<script>
(async () => {
  const text = (tag, value, className) => { const el = document.createElement(tag); el.textContent = value; if (className) el.className = className; return el; };
  const response = await fetch('/api/docs/openapi.json');
  const doc = await response.json();
  document.getElementById('title').textContent = doc.info.title + ' ' + doc.info.version;
  const lead = document.getElementById('description');
  lead.textContent = doc.info.description + ' ';
  const link = text('a', 'OpenAPI document'); link.href = '/api/docs/openapi.json'; lead.append(link);
  const describeSchema = (schema) => {
    if (!schema) return '';
    if (schema.$ref) return schema.$ref.split('/').pop();
    if (schema.enum) return schema.enum.join(' | ');
    if (schema.type === 'array') return describeSchema(schema.items) + '[]';
    return [schema.type, schema.pattern ? 'pattern ' + schema.pattern : '', schema.maximum !== undefined ? '≤ ' + schema.maximum : ''].filter(Boolean).join(', ');
  };
  const operations = document.getElementById('operations');
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of ['get', 'post', 'patch', 'delete']) {
      const op = item[method]; if (!op) continue;
      const details = document.createElement('details'); details.className = 'op';
      const summary = document.createElement('summary');
      summary.append(text('span', method.toUpperCase(), 'method ' + method), text('span', path, 'path'), text('span', op.summary || '', 'summary'));
      if (op.security) summary.append(text('span', '🔒 admin key', 'lock'));
      details.append(summary);
      const body = document.createElement('div'); body.className = 'body';
      if (op.description) body.append(text('p', op.description));
      const parameters = [...(item.parameters || []), ...(op.parameters || [])];
      if (parameters.length) {
        const table = document.createElement('table');
        table.append(Object.assign(document.createElement('tr'), { innerHTML: '<th>parameter</th><th>in</th><th>type</th><th>description</th>' }));
        for (const p of parameters) {
          const row = document.createElement('tr');
          row.append(text('td', p.name + (p.required ? ' *' : '')), text('td', p.in), text('td', describeSchema(p.schema)), text('td', p.description || ''));
          table.append(row);
        }
        body.append(table);
      }
      const requestSchema = op.requestBody && op.requestBody.content['application/json'].schema;
      if (requestSchema) body.append(text('p', 'Body: ' + describeSchema(requestSchema)));
      const responses = document.createElement('table');
      for (const [status, r] of Object.entries(op.responses)) {
        const row = document.createElement('tr');
        const schema = r.content && r.content['application/json'] && r.content['application/json'].schema;
        row.append(text('td', status), text('td', r.description), text('td', describeSchema(schema)));
        responses.append(row);
      }
      body.append(responses);
      details.append(body);
      operations.append(details);
    }
  }
  const schemas = document.getElementById('schemas');
  for (const [name, schema] of Object.entries(doc.components.schemas)) {
    const details = document.createElement('details'); details.className = 'op';
    const summary = document.createElement('summary'); summary.append(text('span', name, 'path'));
    const pre = text('pre', JSON.stringify(schema, null, 2));
    details.append(summary, pre); schemas.append(details);
  }
})().catch((error) => { document.getElementById('description').textContent = 'Could not load the OpenAPI document: ' + error.message; });
</script>
</body>
</html>
`;
