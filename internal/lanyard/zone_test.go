package lanyard_test

import (
	"testing"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

func TestResolveZone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Asia/Seoul", "Asia/Seoul"},
		{"asia/seoul", "Asia/Seoul"},
		{"  ASIA/SEOUL ", "Asia/Seoul"},
		{"america/new_york", "America/New_York"},
		{"Seoul", "Asia/Seoul"},
		{"seoul", "Asia/Seoul"},
		{"서울", "Asia/Seoul"},
		{"KST", "Asia/Seoul"},
		{"kst", "Asia/Seoul"},
		{"JST", "Asia/Tokyo"},
		{"PST", "America/Los_Angeles"},
		{"PDT", "America/Los_Angeles"},
		{"EST", "America/New_York"}, // not the fixed legacy zone EST: New York keeps summer time
		{"CST", "America/Chicago"},  // decided: US Central, not China
		{"IST", "Asia/Kolkata"},     // decided: India
		{"CET", "Europe/Berlin"},
		{"New York", "America/New_York"},
		{"new  york", "America/New_York"},
		{"Los Angeles", "America/Los_Angeles"},
		{"Las Vegas", "America/Los_Angeles"},
		{"Buenos Aires", "America/Argentina/Buenos_Aires"},
		{"Ho Chi Minh", "Asia/Ho_Chi_Minh"},
		{"london", "Europe/London"},
		{"Sydney", "Australia/Sydney"},
		{"UTC", "UTC"},
		{"utc", "UTC"},
		{"UTC+9", "Etc/GMT-9"},
		{"GMT-5", "Etc/GMT+5"},
		{"+09:00", "Etc/GMT-9"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := lanyard.ResolveZone(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("ResolveZone(%q)=%q, want %q", tt.in, got, tt.want)
			}
		})
	}
	for _, bad := range []string{"", "   ", "Atlantis", "Local", "../../etc/passwd", "Asia/../../etc", "UTC+15", "KSTX"} {
		if got, err := lanyard.ResolveZone(bad); lanyard.ErrorCode(err) != lanyard.EINVALID {
			t.Errorf("ResolveZone(%q)=%q, %v; want EINVALID", bad, got, err)
		}
	}
}
