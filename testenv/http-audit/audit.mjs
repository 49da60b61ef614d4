// Runs graphql-http's audit of a GraphQL-over-HTTP server (auditServer)
// against the URL given as the only argument, and prints the results as
// JSON on stdout: [{id, name, status, reason?, httpStatus?, body?}], status
// "ok", "notice" (a failed MAY), "warn" (a failed SHOULD) or "error" (a
// failed MUST). server/audit_test.go runs it against the real handler.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs URL');
  process.exit(2);
}

const results = await auditServer({ url });
const out = [];
for (const r of results) {
  const item = { id: r.id, name: r.name, status: r.status };
  if (r.status !== 'ok') {
    item.reason = r.reason;
    item.httpStatus = r.response.status;
    try {
      item.body = (await r.response.text()).slice(0, 500);
    } catch {
      // the body was read by the audit already
    }
  }
  out.push(item);
}
process.stdout.write(JSON.stringify(out, null, 2) + '\n');
