// Package schema holds the released snapshot of the GraphQL schema,
// released.graphqls, and the test that compares schema.graphqls with it.
// The schema is the contract of every widget and client: a breaking change
// (a removed field or argument, a changed type) fails CI unless it is
// released, which means copying schema.graphqls here and recording the
// release in CHANGELOG.md. The package has no code.
package schema
