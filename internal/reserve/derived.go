package reserve

import (
	"context"
	"fmt"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// Derived entitlements (a party's door): who holds the key is decided by
// rows another transaction commits (the party's RSVPs), not by the engine.
// The store derives the holders when the engine loads, so a crash between
// an RSVP's commit and the engine hearing of it loses nothing; while the
// engine runs, each committed change is sent to it with the sequence
// number its transaction gave (parties.door_seq), and the engine applies
// a change only if it is newer than what it holds for that attendee. So
// changes that arrive out of order (an RSVP and a withdrawal racing), a
// change sent twice, or one already in the loaded rows leave the state
// equal to the rows.

// KeySeq is a derived key with the last sequence number its rows were
// loaded at: changes at or below it are in the load already.
type KeySeq struct {
	Key string
	Seq int64
}

// derivedKey is a derived key's ordering state.
type derivedKey struct {
	floor int64           // the load's (or a revocation's) sequence number
	last  map[int64]int64 // attendee → sequence number of the change applied
}

// EntitlementSync is what a writer of derived entitlements (a party's
// RSVPs) needs of the engine. *Engine implements it.
type EntitlementSync interface {
	// SyncEntitlement sets whether attendee holds key as of change seq,
	// unless a newer change is held already. It reports whether the
	// change was applied.
	SyncEntitlement(ctx context.Context, key string, attendee int64, on bool, seq int64) (bool, error)
	// RevokeEntitlement takes key from everyone as of change seq: nothing
	// older is applied afterwards. It returns how many held it.
	RevokeEntitlement(ctx context.Context, key string, seq int64) (int, error)
}

var _ EntitlementSync = (*Engine)(nil)

func (st *state) loadDerived(snap *Snapshot) {
	st.derived = make(map[string]*derivedKey, len(snap.DerivedKeys))
	for _, k := range snap.DerivedKeys {
		st.derived[k.Key] = &derivedKey{floor: k.Seq, last: map[int64]int64{}}
	}
}

func (st *state) derivedKey(key string) *derivedKey {
	d := st.derived[key]
	if d == nil {
		d = &derivedKey{last: map[int64]int64{}}
		st.derived[key] = d
	}
	return d
}

func checkDerived(key string, seq int64) error {
	if err := lanyard.CheckEntitlement(key); err != nil || key == "" {
		return lanyard.Errorf(lanyard.EINVALID, "A derived entitlement names a key.")
	}
	if seq <= 0 {
		return lanyard.Errorf(lanyard.EINVALID, "A derived entitlement change needs a sequence number.")
	}
	return nil
}

// SyncEntitlement sets whether attendee holds key as of change seq.
func (e *Engine) SyncEntitlement(ctx context.Context, key string, attendee int64, on bool, seq int64) (bool, error) {
	if err := checkDerived(key, seq); err != nil {
		return false, err
	}
	return as[bool](e.do(ctx, 0, "", "", func(b *builder) (any, error) {
		d := b.st.derivedKey(key)
		if seq <= d.floor || seq <= d.last[attendee] {
			return false, nil // the state holds this change or a newer one
		}
		d.last[attendee] = seq
		if b.st.mayEnter(attendee, key) == on {
			return true, nil
		}
		b.st.entitle(attendee, key, on)
		outcome := "granted"
		if !on {
			outcome = "revoked"
		}
		b.log(attendee, "entitle", -1, lanyard.OutcomeSettings, fmt.Sprintf("%s key=%s seq=%d", outcome, key, seq))
		return true, nil
	}))
}

// RevokeEntitlement takes key from everyone as of change seq.
func (e *Engine) RevokeEntitlement(ctx context.Context, key string, seq int64) (int, error) {
	if err := checkDerived(key, seq); err != nil {
		return 0, err
	}
	return as[int](e.do(ctx, 0, "", "", func(b *builder) (any, error) {
		d := b.st.derivedKey(key)
		if seq <= d.floor {
			return 0, nil
		}
		d.floor, d.last = seq, map[int64]int64{}
		n := 0
		for a, keys := range b.st.entitled {
			if keys[key] {
				b.st.entitle(a, key, false)
				n++
			}
		}
		b.log(0, "entitle", -1, lanyard.OutcomeSettings, fmt.Sprintf("revoked_all key=%s seq=%d holders=%d", key, seq, n))
		return n, nil
	}))
}
