package lanyard

import "testing"

// Every engine command that changes what a receiver cares about maps to
// its event; refusals and commands with nothing to tell map to none.
func TestWebhookEventFor(t *testing.T) {
	for _, tt := range []struct {
		command, outcome, want string
	}{
		{"reserve", OutcomeReserved, EventReservationCreated},
		{"draft", OutcomeReserved, EventReservationCreated},
		{"switch", OutcomeReserved, EventReservationCreated},
		{"switch", OutcomeCancelled, EventReservationCancelled},
		{"cancel", OutcomeCancelled, EventReservationCancelled},
		{"promote", OutcomePromoted, EventWaitlistPromoted},
		{"check_in", OutcomeCheckedIn, EventCheckinCreated},
		{"walkup", OutcomeWalkup, EventCheckinCreated},
		{"walkup", OutcomeOverflow, EventCheckinCreated},
		{"change", OutcomeChanged, EventSessionChanged},
		{"reserve", OutcomeRefused, ""},
		{"change", OutcomeRefused, ""},
		{"settings", "", ""},
		{"waitlist", OutcomeWaitlisted, ""},
	} {
		got, ok := WebhookEventFor(tt.command, tt.outcome)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("WebhookEventFor(%q, %q) = %q, %v; want %q", tt.command, tt.outcome, got, ok, tt.want)
		}
		if ok && !ValidWebhookEvent(got) {
			t.Errorf("%q is not among WebhookEvents", got)
		}
	}
}
