// graphql-inspector's --onComplete handler for schema/schema_check_test.go:
// writes every change between the two schemas as JSON to the file that
// LEARNGRAPH_SCHEMA_CHANGES names, and fails on breaking changes as the
// default handler does.
'use strict';
const fs = require('fs');

module.exports = function report({ breakingChanges, dangerousChanges, nonBreakingChanges }) {
  const pick = (level) => (c) => ({ level, type: c.type, message: c.message, path: c.path || '' });
  const changes = [
    ...breakingChanges.map(pick('BREAKING')),
    ...dangerousChanges.map(pick('DANGEROUS')),
    ...nonBreakingChanges.map(pick('NON_BREAKING')),
  ];
  const out = process.env.LEARNGRAPH_SCHEMA_CHANGES;
  if (out) {
    fs.writeFileSync(out, JSON.stringify(changes, null, 2));
  }
  if (breakingChanges.length > 0) {
    process.exitCode = 1;
  }
};
