package badge

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	photos "github.com/lanyardhq/lanyard/internal/photo"
	"github.com/lanyardhq/lanyard/internal/store"
)

// keysTTL is how long Service trusts its copy of the signing keys; a key
// rotated on another node is picked up within it, or at once by Verify
// when a token names a key it has not seen.
const keysTTL = time.Minute

// keysMinAge is how fresh a copy of the keys may be before Verify reloads it.
const keysMinAge = 5 * time.Second

// Service ties badges to the store: photos in, badges and verdicts out.
// The API, the pages and `lanyard badges` share it.
type Service struct {
	DB    *store.DB
	Event *lanyard.Event

	mu     sync.Mutex
	keys   Keyring
	loaded time.Time

	// processing bounds photos processed at once: a 40-megapixel image
	// takes up to a few hundred MB and a second or two while it is decoded.
	processOnce sync.Once
	processing  chan struct{}
}

// maxProcessing is how many photos are processed at once.
const maxProcessing = 2

// keyring returns the signing keys, from the store when the copy is stale
// or when fresh is set.
func (s *Service) keyring(ctx context.Context, fresh bool) (Keyring, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	age := time.Since(s.loaded)
	// A forced reload (a token naming a key not seen yet) happens at most
	// every few seconds: anyone can send made-up tokens.
	if !s.loaded.IsZero() && (age < keysTTL && !fresh || age < keysMinAge) {
		return s.keys, nil
	}
	keys, err := s.DB.BadgeKeys(ctx)
	if err != nil {
		return Keyring{}, fmt.Errorf("badge: keys: %w", err)
	}
	kr := Keyring{Active: Key{ID: keys[0].ID, Secret: keys[0].Secret}}
	for _, k := range keys[1:] {
		kr.Others = append(kr.Others, Key{ID: k.ID, Secret: k.Secret})
	}
	if err := kr.Validate(); err != nil {
		return Keyring{}, err
	}
	s.keys, s.loaded = kr, time.Now()
	return kr, nil
}

// UploadPhoto processes and stores an attendee's photo. A refused upload
// (too big, not an image, damaged) stores nothing and says why.
func (s *Service) UploadPhoto(ctx context.Context, attendeeID int64, r io.Reader) (*lanyard.Photo, error) {
	// Read the upload before taking a slot, so a slow sender holds no slot.
	data, err := io.ReadAll(io.LimitReader(r, photos.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("badge: read photo: %w", err)
	}
	s.processOnce.Do(func() { s.processing = make(chan struct{}, maxProcessing) })
	select {
	case s.processing <- struct{}{}:
	case <-ctx.Done():
		return nil, lanyard.Errorf(lanyard.EUNAVAILABLE, "Many photos are being uploaded right now; try again in a moment.")
	}
	res, err := photos.ProcessBytes(data)
	<-s.processing
	if err != nil {
		return nil, err
	}
	p := &lanyard.Photo{AttendeeID: attendeeID, JPEG: res.JPEG, Format: res.Format, Width: res.Width, Height: res.Height,
		Checks: res.Checks, Flagged: res.Flagged}
	if p.Checks == nil {
		p.Checks = []lanyard.PhotoCheck{}
	}
	if err := s.DB.SavePhoto(ctx, p); err != nil {
		return nil, err
	}
	return p, nil
}

// Photo returns an attendee's stored photo; ENOTFOUND if none.
func (s *Service) Photo(ctx context.Context, attendeeID int64) (*lanyard.Photo, error) {
	return s.DB.Photo(ctx, attendeeID)
}

// badge gathers what a's badge shows.
func (s *Service) badge(ctx context.Context, kr Keyring, a *lanyard.Attendee) (Badge, error) {
	st, err := s.DB.BadgeState(ctx, a.ID)
	if err != nil {
		return Badge{}, err
	}
	b := Badge{Name: a.Name, Company: a.Company, AttendeeType: TypeLabel(a.Role), EventName: s.Event.Name,
		Token: kr.Sign(Claims{EventID: a.EventID, AttendeeID: a.ID, Version: uint16(st.Version)})}
	p, err := s.DB.Photo(ctx, a.ID)
	switch {
	case err == nil:
		b.Photo = p.JPEG
	case lanyard.ErrorCode(err) != lanyard.ENOTFOUND:
		return Badge{}, err
	}
	return b, nil
}

// TypeLabel is the attendee type a badge prints for a role.
func TypeLabel(r lanyard.Role) string {
	switch r {
	case lanyard.RoleStaff:
		return "Staff"
	case lanyard.RoleExhibitor:
		return "Exhibitor"
	case lanyard.RoleOrganizer:
		return "Organizer"
	}
	return "Attendee"
}

// Token returns the signed token a's badge carries, for showing its QR code
// on a phone, and the badge's state.
func (s *Service) Token(ctx context.Context, a *lanyard.Attendee) (string, lanyard.BadgeState, error) {
	kr, err := s.keyring(ctx, false)
	if err != nil {
		return "", lanyard.BadgeState{}, err
	}
	st, err := s.DB.BadgeState(ctx, a.ID)
	if err != nil {
		return "", st, err
	}
	return kr.Sign(Claims{EventID: a.EventID, AttendeeID: a.ID, Version: uint16(st.Version)}), st, nil
}

// QR returns a's badge QR code as a PNG.
func (s *Service) QR(ctx context.Context, a *lanyard.Attendee) ([]byte, error) {
	tok, _, err := s.Token(ctx, a)
	if err != nil {
		return nil, err
	}
	return QR(tok)
}

// WriteBadge writes a's badge as a one-page PDF.
func (s *Service) WriteBadge(ctx context.Context, w io.Writer, a *lanyard.Attendee) error {
	kr, err := s.keyring(ctx, false)
	if err != nil {
		return err
	}
	b, err := s.badge(ctx, kr, a)
	if err != nil {
		return err
	}
	return Write(w, []Badge{b})
}

// Verify returns the attendee a badge token names. A malformed, forged or
// altered token is EINVALID; a badge since replaced (a newer version was
// printed) or for nobody known is ENOTFOUND.
func (s *Service) Verify(ctx context.Context, token string) (*lanyard.Attendee, error) {
	kr, err := s.keyring(ctx, false)
	if err != nil {
		return nil, err
	}
	c, err := kr.Verify(token)
	if err != nil {
		// Perhaps signed by a key rotated in since the copy was made.
		if kr, err2 := s.keyring(ctx, true); err2 == nil {
			c, err = kr.Verify(token)
		}
	}
	if err != nil {
		var le *lanyard.Error
		if errors.As(err, &le) {
			return nil, lanyard.Errorf(lanyard.EBadgeInvalid, "This is not a valid badge: it was altered, or not made here.")
		}
		return nil, err
	}
	a, err := s.DB.FindAttendeeByID(ctx, c.AttendeeID)
	if lanyard.ErrorCode(err) == lanyard.ENOTFOUND || (err == nil && a.EventID != c.EventID) {
		return nil, lanyard.Errorf(lanyard.ENOTFOUND, "Nobody is registered with this badge.")
	}
	if err != nil {
		return nil, err
	}
	st, err := s.DB.BadgeState(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	if int(c.Version) != st.Version {
		return nil, lanyard.Errorf(lanyard.ENOTFOUND, "This badge was replaced by a newer one; it no longer admits anyone.")
	}
	return a, nil
}

// WriteAll writes every badge of the event, sorted by family name, into
// PDFs of at most perFile badges each (DefaultPerFile if ≤ 0): create(i)
// gives where file i goes. One PDF cannot hold tens of thousands of badges
// with photos in bounded memory (see Writer), and print shops take big jobs
// in batches anyway. progress, if set, is called after each badge. It
// returns how many files it wrote.
func (s *Service) WriteAll(ctx context.Context, eventID int64, perFile int, create func(part int) (io.WriteCloser, error), progress func(done, total int)) (int, error) {
	people, err := s.DB.ListAttendees(ctx, eventID)
	if err != nil {
		return 0, err
	}
	SortByFamilyName(people)
	kr, err := s.keyring(ctx, false)
	if err != nil {
		return 0, err
	}
	sw := NewSplitWriter(perFile, create)
	for i, a := range people {
		if err := ctx.Err(); err != nil {
			return sw.Files(), err
		}
		b, err := s.badge(ctx, kr, a)
		if err != nil {
			return sw.Files(), err
		}
		if err := sw.Add(b); err != nil {
			return sw.Files(), err
		}
		if progress != nil {
			progress(i+1, len(people))
		}
	}
	err = sw.Close()
	return sw.Files(), err
}

// SortByFamilyName orders people as badges are laid out at the desk.
func SortByFamilyName(people []*lanyard.Attendee) {
	slices.SortStableFunc(people, func(a, b *lanyard.Attendee) int {
		return cmp.Or(
			strings.Compare(strings.ToLower(lanyard.FamilyName(a.Name)), strings.ToLower(lanyard.FamilyName(b.Name))),
			strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)),
			cmp.Compare(a.ID, b.ID))
	})
}

// PhotoReport lists attendees with no photo or a flagged one.
func (s *Service) PhotoReport(ctx context.Context, eventID int64) (any, error) {
	return s.DB.PhotoReport(ctx, eventID)
}

// ReplaceBadge voids the attendee's badge: its code stops verifying, and
// the badge printed next carries the new version.
func (s *Service) ReplaceBadge(ctx context.Context, attendeeID int64) (lanyard.BadgeState, error) {
	return s.DB.ReplaceBadge(ctx, attendeeID)
}

// MarkPickedUp records that the attendee took their badge.
func (s *Service) MarkPickedUp(ctx context.Context, attendeeID int64) (lanyard.BadgeState, error) {
	return s.DB.MarkPickedUp(ctx, attendeeID)
}
