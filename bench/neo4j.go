package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"

	"learngraph/neo4j"
)

// neo4jServer is the Neo4j the benchmark loads into: an instance that
// scripts/neo4j manages (restarted with empty databases before each size)
// or, without one, the server at NEO4J_URI as it is.
type neo4jServer struct {
	script, instance string
	heap             string
	pagecacheMB      int
	log              *slog.Logger

	uri     string
	pid     int    // the Neo4j process, 0 when unknown
	version string // "Neo4j/5.26.19"
}

// fresh makes the server ready for the next size: a managed instance is
// stopped and started again with its databases deleted, so the load goes
// into an empty database and its memory is that size's alone.
func (s *neo4jServer) fresh(ctx context.Context) error {
	if s.instance == "" {
		s.uri = os.Getenv("NEO4J_URI")
		return nil
	}
	if _, err := s.scriptRun(ctx, "stop", s.instance); err != nil {
		return err
	}
	start := time.Now()
	if _, err := s.scriptRun(ctx, "start", s.instance, "--fresh", "--heap", s.heap,
		"--pagecache-mb", strconv.Itoa(s.pagecacheMB)); err != nil {
		return err
	}
	s.log.Info("neo4j started with empty databases", slog.String("instance", s.instance), slog.Duration("took", time.Since(start).Round(time.Millisecond)))
	uri, err := s.scriptRun(ctx, "uri", s.instance)
	if err != nil {
		return err
	}
	s.uri = strings.TrimSpace(uri)
	status, err := s.scriptRun(ctx, "status", s.instance)
	if err != nil {
		return err
	}
	if m := regexp.MustCompile(`pid (\d+)`).FindStringSubmatch(status); m != nil {
		s.pid, _ = strconv.Atoi(m[1])
	}
	return nil
}

func (s *neo4jServer) stop(ctx context.Context) {
	if s.instance == "" {
		return
	}
	if _, err := s.scriptRun(ctx, "stop", s.instance); err != nil {
		s.log.Warn("cannot stop neo4j", slog.Any("err", err))
	}
}

func (s *neo4jServer) scriptRun(ctx context.Context, args ...string) (string, error) {
	out, err := exec.CommandContext(ctx, s.script, args...).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("%s %s: %w\n%s", s.script, strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

// config is how the store reaches the server: the URI, and the login and
// database of the environment, as every learngraph command reads them.
func (s *neo4jServer) config() neo4j.Config {
	return neo4j.Config{
		URI: s.uri, Username: os.Getenv("NEO4J_USERNAME"), Password: os.Getenv("NEO4J_PASSWORD"),
		Database: os.Getenv("NEO4J_DATABASE"),
	}
}

func (s *neo4jServer) open(ctx context.Context) (*neo4j.Store, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	return neo4j.Open(ctx, s.config(), nil)
}

// rss returns the resident memory of the Neo4j process, 0 when unknown.
func (s *neo4jServer) rss() int64 {
	if s.pid == 0 {
		return 0
	}
	return procField(fmt.Sprintf("/proc/%d/status", s.pid), "VmRSS") << 10
}
