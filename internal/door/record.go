package door

import (
	"context"
	"time"

	"github.com/lanyardhq/lanyard/internal/store"
)

// The door_scans rows feed the stats page only: the admission itself is
// the engine's, durable before the verdict is shown. So an online scan
// does not wait for its row: Run gathers rows and writes them every
// recordEvery (or recordMax rows) in one transaction, which keeps a
// commit per scan off the database the engine's batches commit to. A
// crash loses at most the last moment's stats rows, never an admission.
// Synced scans are written at once (a sync is not waiting at a door).

const (
	recordEvery = 100 * time.Millisecond
	recordMax   = 512
)

// Run writes online scans' rows in the background until ctx is done, then
// writes what is left. Without Run, each scan writes its row itself.
func (h *Handler) Run(ctx context.Context) {
	ch := make(chan store.DoorScan, 8*recordMax)
	h.records.Store(&ch)
	t := time.NewTicker(recordEvery)
	defer t.Stop()
	var rows []store.DoorScan
	flush := func() {
		if len(rows) == 0 {
			return
		}
		if err := h.Store.RecordDoorScans(context.WithoutCancel(ctx), rows); err != nil {
			h.log().Error("door scans not recorded", "rows", len(rows), "err", err)
		}
		rows = rows[:0]
	}
	for {
		select {
		case <-ctx.Done():
			h.records.Store(nil)
			for {
				select {
				case s := <-ch:
					rows = append(rows, s)
				default:
					flush()
					return
				}
			}
		case s := <-ch:
			rows = append(rows, s)
			if len(rows) >= recordMax {
				flush()
			}
		case <-t.C:
			flush()
		}
	}
}

// record writes a scan's row, through Run's writer when it runs.
func (h *Handler) record(ctx context.Context, s store.DoorScan, wait bool) error {
	if ch := h.records.Load(); ch != nil && !wait {
		select {
		case *ch <- s:
			return nil
		default: // the writer is behind: write this one here
		}
	}
	_, err := h.Store.RecordDoorScan(ctx, s)
	return err
}
