package schema_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The schema check runs graphql-inspector (pinned in testenv/schema-check,
// installed there with `npm ci`) to compare schema.graphqls with the last
// released snapshot, schema/released.graphqls. Without node or the package
// the tests that need it skip, saying why, unless
// LEARNGRAPH_REQUIRE_SCHEMA_CHECK=1 (scripts/test sets it), which makes
// that a failure.

var (
	root         = ".."
	checkDir     = filepath.Join(root, "testenv", "schema-check")
	snapshotPath = filepath.Join(root, "schema", "released.graphqls")
	changelog    = filepath.Join(root, "CHANGELOG.md")
)

// change is one difference graphql-inspector finds, as report.cjs writes it.
type change struct {
	Level   string // BREAKING, DANGEROUS or NON_BREAKING
	Type    string // graphql-inspector's change type, FIELD_REMOVED…
	Message string
	Path    string // Type, Type.field or Type.field.argument
}

// inspector returns the graphql-inspector executable, skipping the test
// when it is not installed and the check is not required.
func inspector(t *testing.T) string {
	t.Helper()
	missing := func(format string, args ...any) {
		t.Helper()
		if os.Getenv("LEARNGRAPH_REQUIRE_SCHEMA_CHECK") == "1" {
			t.Fatalf(format+" (LEARNGRAPH_REQUIRE_SCHEMA_CHECK=1)", args...)
		}
		t.Skipf(format, args...)
	}
	if _, err := exec.LookPath("node"); err != nil {
		missing("node is not installed: the schema check needs it")
	}
	bin, err := filepath.Abs(filepath.Join(checkDir, "node_modules", ".bin", "graphql-inspector"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(bin); err != nil {
		missing("graphql-inspector is not installed: run `npm ci` in %s", checkDir)
	}
	return bin
}

// diff runs `graphql-inspector diff old new` and returns every change. A
// schema that does not load is a failure of the test, not a change.
func diff(t *testing.T, bin, old, new string) []change {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	out := filepath.Join(t.TempDir(), "changes.json")
	report, err := filepath.Abs(filepath.Join(checkDir, "report.cjs"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, bin, "diff", old, new, "--onComplete", report)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "LEARNGRAPH_SCHEMA_CHANGES="+out, "NO_COLOR=1", "FORCE_COLOR=0")
	output, runErr := cmd.CombinedOutput()
	data, err := os.ReadFile(out)
	if errors.Is(err, os.ErrNotExist) {
		// report.cjs runs only when there are changes; with none the
		// command must have succeeded.
		if runErr != nil {
			t.Fatalf("graphql-inspector diff %s %s: %v\n%s", old, new, runErr, output)
		}
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var changes []change
	if err := json.Unmarshal(data, &changes); err != nil {
		t.Fatalf("graphql-inspector's report: %v\n%s", err, data)
	}
	// It exits non-zero exactly when a change is breaking.
	breaking := false
	for _, c := range changes {
		breaking = breaking || c.Level == "BREAKING"
	}
	if (runErr != nil) != breaking {
		t.Fatalf("graphql-inspector exited with %v but reported %d changes, breaking=%v\n%s", runErr, len(changes), breaking, output)
	}
	return changes
}

// problems applies the release policy to the changes from the released
// snapshot to the current schema: a breaking change is never allowed (to
// make one, release it: the snapshot then matches again), and every other
// change must be named in the Unreleased section of the changelog by its
// type or field (`Query.nextUp`), so the next release notes are written as
// the schema changes.
func problems(changes []change, changelog string) []string {
	unreleased := section(changelog, "Unreleased")
	var out []string
	for _, c := range changes {
		if c.Level == "BREAKING" {
			out = append(out, "breaking change: "+c.Message)
			continue
		}
		coord := coordinate(c.Path)
		if !strings.Contains(unreleased, coord) {
			out = append(out, fmt.Sprintf("%s (%s) is not mentioned in the Unreleased section of CHANGELOG.md: name %s there", c.Message, strings.ToLower(c.Level), coord))
		}
	}
	return out
}

// coordinate is the type or Type.field a change's path starts with: the
// unit a changelog entry names.
func coordinate(path string) string {
	parts := strings.SplitN(path, ".", 3)
	if len(parts) > 2 {
		parts = parts[:2]
	}
	return strings.Join(parts, ".")
}

// section returns the text under the `## name` heading of a changelog, up
// to the next `## ` heading; "" when there is none.
func section(changelog, name string) string {
	var b strings.Builder
	in := false
	sc := bufio.NewScanner(strings.NewReader(changelog))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "## ") {
			in = strings.TrimSpace(strings.TrimPrefix(line, "## ")) == name
			continue
		}
		if in {
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

var (
	releaseHeading = regexp.MustCompile(`(?m)^## (\d+\.\d+\.\d+)\b.*$`)
	schemaHash     = regexp.MustCompile(`(?m)^Schema: sha256 ([0-9a-f]{64})\s*$`)
)

// latestRelease returns the version and the recorded schema hash of the
// first release in the changelog (releases are listed newest first).
func latestRelease(changelog string) (version, hash string, err error) {
	loc := releaseHeading.FindStringSubmatchIndex(changelog)
	if loc == nil {
		return "", "", errors.New("CHANGELOG.md has no release (a `## X.Y.Z` heading)")
	}
	version = changelog[loc[2]:loc[3]]
	rest := changelog[loc[1]:]
	if next := strings.Index(rest, "\n## "); next >= 0 {
		rest = rest[:next]
	}
	m := schemaHash.FindStringSubmatch(rest)
	if m == nil {
		return version, "", fmt.Errorf("release %s in CHANGELOG.md has no line `Schema: sha256 <hex>`", version)
	}
	return version, m[1], nil
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestSnapshotIsReleased checks that the snapshot is the schema of the
// latest release in CHANGELOG.md: changing the snapshot takes a new
// release entry, which says what changed.
func TestSnapshotIsReleased(t *testing.T) {
	version, want, err := latestRelease(read(t, changelog))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(read(t, snapshotPath)))
	if got := hex.EncodeToString(sum[:]); got != want {
		t.Fatalf("schema/released.graphqls has sha256 %s, but the latest release in CHANGELOG.md (%s) records %s: "+
			"a changed snapshot is a new release; add a `## X.Y.Z` entry saying what changed, ending with `Schema: sha256 %s`", got, version, want, got)
	}
}

// TestSchemaAgainstRelease is the check CI runs: schema.graphqls against
// the released snapshot.
func TestSchemaAgainstRelease(t *testing.T) {
	bin := inspector(t)
	changes := diff(t, bin, "schema/released.graphqls", "schema.graphqls")
	for _, c := range changes {
		t.Logf("%s: %s", c.Level, c.Message)
	}
	if p := problems(changes, read(t, changelog)); len(p) > 0 {
		t.Fatalf("schema.graphqls breaks the contract of schema/released.graphqls:\n  %s\n\n"+
			"Widgets and clients rely on the released schema. To release a change on purpose, copy schema.graphqls to "+
			"schema/released.graphqls and add a release to CHANGELOG.md that says what changed (README, \"Schema changes\").",
			strings.Join(p, "\n  "))
	}
}

// TestSchemaCheckCatchesChanges runs the check over edited copies of the
// released schema, so that a check that passes means something.
func TestSchemaCheckCatchesChanges(t *testing.T) {
	bin := inspector(t)
	released := read(t, snapshotPath)
	const mention = "## Unreleased\n\n- `Query.nextUp` takes `level`; new type `Badge`.\n\n## 0.1.0\n"
	tests := []struct {
		name      string
		old, new  string // edit of the released schema: old replaced by new
		changelog string
		want      []string // substrings of the problems, in order; none for a pass
	}{
		{name: "Same", changelog: "## Unreleased\n"},
		{
			name: "RemovedField",
			old:  "  \"Why it is recommended.\"\n  reason: String!\n", new: "",
			changelog: mention,
			want:      []string{"breaking change: Field 'reason' was removed from object type 'Recommendation'"},
		},
		{
			name: "RemovedArgument",
			old:  "    \"Restrict the recommendations to the concepts of this domain path (id, name or alias).\"\n    path: String\n", new: "",
			changelog: mention,
			want:      []string{"breaking change: Argument 'path: String' was removed from field 'Query.nextUp'"},
		},
		{
			name: "ChangedType",
			old:  "  \"Why it is recommended.\"\n  reason: String!\n", new: "  \"Why it is recommended.\"\n  reason: String\n",
			changelog: mention,
			want:      []string{"breaking change: Field 'Recommendation.reason' changed type from 'String!' to 'String'"},
		},
		{
			name: "AddedArgumentNotInChangelog",
			old:  "    first: Int = 5\n", new: "    first: Int = 5\n    level: Int\n",
			changelog: "## Unreleased\n\n## 0.1.0\n\n- `Query.nextUp`\n",
			want:      []string{"not mentioned in the Unreleased section of CHANGELOG.md: name Query.nextUp there"},
		},
		{
			name: "AddedArgumentInChangelog",
			old:  "    first: Int = 5\n", new: "    first: Int = 5\n    level: Int\n",
			changelog: mention,
		},
		{
			name: "AddedTypeInChangelog",
			old:  "scalar Time\n", new: "scalar Time\n\n\"A badge.\"\ntype Badge {\n  \"Its name.\"\n  name: String!\n}\n",
			changelog: mention,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			edited := released
			if tt.old != "" {
				if !strings.Contains(released, tt.old) {
					t.Fatalf("the released schema has no %q to edit", tt.old)
				}
				edited = strings.Replace(released, tt.old, tt.new, 1)
			}
			next := filepath.Join(t.TempDir(), "next.graphqls")
			if err := os.WriteFile(next, []byte(edited), 0o644); err != nil {
				t.Fatal(err)
			}
			abs, err := filepath.Abs(snapshotPath)
			if err != nil {
				t.Fatal(err)
			}
			got := problems(diff(t, bin, abs, next), tt.changelog)
			if len(got) != len(tt.want) {
				t.Fatalf("problems %q, want %d matching %q", got, len(tt.want), tt.want)
			}
			for i := range got {
				if !strings.Contains(got[i], tt.want[i]) {
					t.Errorf("problem %d is %q, want it to contain %q", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestLatestRelease(t *testing.T) {
	h := strings.Repeat("ab", 32)
	tests := []struct {
		name, changelog, version, hash, err string
	}{
		{name: "OK", changelog: "# C\n\n## Unreleased\n\n## 0.2.0\n\nx\n\nSchema: sha256 " + h + "\n\n## 0.1.0\n\nSchema: sha256 " + strings.Repeat("cd", 32) + "\n", version: "0.2.0", hash: h},
		{name: "NoRelease", changelog: "# C\n\n## Unreleased\n", err: "no release"},
		{name: "NoHash", changelog: "## 0.2.0\n\nx\n\n## 0.1.0\n\nSchema: sha256 " + h + "\n", version: "0.2.0", err: "no line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, hash, err := latestRelease(tt.changelog)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || v != tt.version || hash != tt.hash {
				t.Fatalf("latestRelease = %q, %q, %v; want %q, %q", v, hash, err, tt.version, tt.hash)
			}
		})
	}
}
