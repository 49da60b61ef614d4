package graph

import (
	"context"
	"errors"
	"testing"
)

// heavyWork lets at most its capacity run at once, and a request that
// ends while it waits gives up without running anything.
func TestHeavyWork(t *testing.T) {
	h := make(heavyWork, 1)
	release := make(chan struct{})
	running := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- h.do(context.Background(), func() error {
			close(running)
			<-release
			return nil
		})
	}()
	<-running

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ran := false
	if err := h.do(ctx, func() error { ran = true; return nil }); !errors.Is(err, context.Canceled) || ran {
		t.Errorf("with every slot taken and the request gone: err %v, ran %t", err, ran)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	want := errors.New("from f")
	if err := h.do(context.Background(), func() error { return want }); err != want {
		t.Errorf("a free slot: err %v, want f's", err)
	}
	if len(h) != 0 {
		t.Errorf("%d slots still taken", len(h))
	}
}
