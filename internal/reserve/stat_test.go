package reserve_test

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/lanyardhq/lanyard/internal/reserve"
)

// timedStore measures commits, for benchmark reports.
type timedStore struct {
	reserve.Store
	batches, logRows, nanos atomic.Int64
}

func (s *timedStore) CommitBatch(ctx context.Context, b *reserve.Batch) error {
	t := time.Now()
	err := s.Store.CommitBatch(ctx, b)
	s.nanos.Add(int64(time.Since(t)))
	s.batches.Add(1)
	s.logRows.Add(int64(len(b.Log)))
	return err
}
