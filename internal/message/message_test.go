package message

import (
	"strings"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

func mustEncode(t *testing.T, p any) map[string]string {
	t.Helper()
	m, err := Encode(p)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestEveryKindBothLanguages: each kind that is rendered from a template
// has its text and HTML in every language.
func TestEveryKindBothLanguages(t *testing.T) {
	for _, kind := range append([]string{"written"}, lanyard.MessageKinds...) {
		if kind == lanyard.KindPasswordReset {
			continue // rendered when written ("written")
		}
		for _, lang := range Languages {
			if _, ok := texts[kind+"."+lang]; !ok && kind != "written" {
				t.Errorf("no text template %s.%s", kind, lang)
			}
			if _, ok := htmls[kind+"."+lang]; !ok {
				t.Errorf("no html template %s.%s", kind, lang)
			}
		}
	}
}

func TestRender(t *testing.T) {
	start := time.Date(2026, 12, 2, 22, 30, 0, 0, time.UTC) // 2:30 PM PST, 7:30 AM KST next day
	end := start.Add(time.Hour)
	zones := Zones{VenueZone: "America/Los_Angeles", HomeZone: "Asia/Seoul"}
	r := Renderer{BaseURL: "https://lanyard.example/"}
	tests := []struct {
		name string
		m    lanyard.Message
		lang string
		// want appear in Subject, Line, Text and HTML respectively.
		subject, line, text, html []string
		link                      string
	}{
		{name: "reset en", lang: "en",
			m:       lanyard.Message{Kind: lanyard.KindPasswordReset, Subject: "Reset your password", Body: "Hello,\n\nhttps://lanyard.example/reset/abc\n\nBye"},
			subject: []string{"Reset your password"}, line: []string{"Reset your password"}, text: []string{"https://lanyard.example/reset/abc"},
			html: []string{`<a href="https://lanyard.example/reset/abc"`}, link: "https://lanyard.example/reset/abc"},
		{name: "reset ko", lang: "ko",
			m:       lanyard.Message{Kind: lanyard.KindPasswordReset, Subject: "비밀번호 재설정", Body: "안녕하세요\n\nhttps://lanyard.example/reset/abc"},
			subject: []string{"비밀번호 재설정"}, line: []string{"비밀번호 재설정"}, text: []string{"안녕하세요"}, html: []string{`lang="ko"`, "설정"},
			link: "https://lanyard.example/reset/abc"},
		{name: "invitation en", lang: "en",
			m: lanyard.Message{Kind: lanyard.KindInvitation, Template: lanyard.KindInvitation, Params: mustEncode(t, AccountParams{Event: "re:Invent", Name: "Ada",
				Link: "https://lanyard.example/reset/tok", Expires: start, Zones: zones})},
			subject: []string{"You are invited to re:Invent"}, line: []string{"Invitation"},
			text: []string{"Hello Ada", "https://lanyard.example/reset/tok", "Wed, Dec 2, 2:30 PM PST (Thu, Dec 3, 7:30 AM KST)"},
			html: []string{`href="https://lanyard.example/reset/tok"`, "Set your password", "re:Invent"}, link: "https://lanyard.example/reset/tok"},
		{name: "invitation ko", lang: "ko",
			m: lanyard.Message{Kind: lanyard.KindInvitation, Template: lanyard.KindInvitation, Params: mustEncode(t, AccountParams{Event: "re:Invent", Name: "김민지",
				Link: "https://lanyard.example/reset/tok", Expires: start, Zones: zones})},
			subject: []string{"re:Invent에 초대합니다"}, line: []string{"초대"},
			text: []string{"김민지님", "12월 2일 (수) 오후 2:30 PST (12월 3일 (목) 오전 7:30 KST)"},
			html: []string{"비밀번호 설정", `lang="ko"`}, link: "https://lanyard.example/reset/tok"},
		{name: "verification en", lang: "en",
			m:       lanyard.Message{Kind: lanyard.KindEmailVerification, Template: lanyard.KindEmailVerification, Params: mustEncode(t, AccountParams{Link: "https://lanyard.example/verify/x"})},
			subject: []string{"Confirm your email address"}, line: []string{"Confirm"}, text: []string{"https://lanyard.example/verify/x"},
			html: []string{"Confirm my address"}, link: "https://lanyard.example/verify/x"},
		{name: "verification ko", lang: "ko",
			m:       lanyard.Message{Kind: lanyard.KindEmailVerification, Template: lanyard.KindEmailVerification, Params: mustEncode(t, AccountParams{Link: "https://lanyard.example/verify/x"})},
			subject: []string{"이메일 주소를 확인해 주세요"}, line: []string{"이메일 주소"}, text: []string{"https://lanyard.example/verify/x"},
			html: []string{"이메일 주소 확인"}, link: "https://lanyard.example/verify/x"},
		{name: "promoted en, engine params", lang: "en",
			m:       lanyard.Message{Kind: lanyard.KindWaitlistPromoted, Template: lanyard.KindWaitlistPromoted, Params: map[string]string{"code": "AIM101", "title": "Agents & you"}},
			subject: []string{"You have a seat: AIM101 Agents & you"}, line: []string{"A waitlist gave you a seat in AIM101 Agents & you"},
			text: []string{"https://lanyard.example/agenda"}, html: []string{"AIM101 Agents &amp; you", `href="https://lanyard.example/agenda"`},
			link: "https://lanyard.example/agenda"},
		{name: "promoted ko, with time", lang: "ko",
			m: lanyard.Message{Kind: lanyard.KindWaitlistPromoted, Template: lanyard.KindWaitlistPromoted, Params: mustEncode(t, PromotedParams{Code: "AIM101", Title: "에이전트",
				Start: start, End: end, Room: "Venetian A", Zones: zones})},
			subject: []string{"좌석이 확보되었습니다: AIM101 에이전트"}, line: []string{"대기자 명단에서 AIM101 에이전트 좌석이 확보되었습니다"},
			text: []string{"일시: 12월 2일 (수) 오후 2:30–3:30 PST (12월 3일 (목) 오전 7:30–8:30 KST)", "장소: Venetian A"},
			html: []string{"내 일정 열기", "word-break:keep-all"}, link: "https://lanyard.example/agenda"},
		{name: "wave reserved en", lang: "en",
			m:       lanyard.Message{Kind: lanyard.KindWaveReleased, Template: lanyard.KindWaveReleased, Params: mustEncode(t, WaveParams{Code: "KEY1", Title: "Keynote", Seats: 500, Reserved: true})},
			subject: []string{"You're in: KEY1 Keynote"}, line: []string{"you have a seat in KEY1"}, text: []string{"500 more seats", "you have one"},
			html: []string{"You're in", "Open my agenda"}, link: "https://lanyard.example/agenda"},
		{name: "wave open ko", lang: "ko",
			m:       lanyard.Message{Kind: lanyard.KindWaveReleased, Template: lanyard.KindWaveReleased, Params: mustEncode(t, WaveParams{Code: "KEY1", Title: "기조연설", Seats: 500})},
			subject: []string{"두 번째 기회: KEY1 기조연설"}, line: []string{"좌석 500석이 추가로 열렸습니다"}, text: []string{"선착순"},
			html: []string{"좌석 예약하기", `href="https://lanyard.example/sessions/KEY1"`}, link: "https://lanyard.example/sessions/KEY1"},
		{name: "moved en", lang: "en",
			m: lanyard.Message{Kind: lanyard.KindSessionChanged, Template: lanyard.KindSessionChanged, Params: mustEncode(t, ChangedParams{Code: "DEV2", Title: "Go", Change: ChangeMoved,
				OldStart: start.Add(-2 * time.Hour), OldEnd: end.Add(-2 * time.Hour), OldRoom: "Room 1", Start: start, End: end, Room: "Room 2",
				Repeats: Repeats{{Code: "DEV2-R", Start: start.Add(24 * time.Hour), End: end.Add(24 * time.Hour), Room: "Room 3"}}, Zones: Zones{VenueZone: "America/Los_Angeles"}})},
			subject: []string{"Changed: DEV2 Go"}, line: []string{"DEV2 Go moved to Wed, Dec 2, 2:30–3:30 PM PST, Room 2"},
			text: []string{"Was: Wed, Dec 2, 12:30–1:30 PM PST, Room 1", "Now: Wed, Dec 2, 2:30–3:30 PM PST, Room 2", "- DEV2-R: Thu, Dec 3, 2:30–3:30 PM PST, Room 3", "https://lanyard.example/sessions/DEV2-R"},
			html: []string{"<s>", `href="https://lanyard.example/sessions/DEV2-R"`}, link: "https://lanyard.example/agenda"},
		{name: "cancelled ko", lang: "ko",
			m: lanyard.Message{Kind: lanyard.KindSessionChanged, Template: lanyard.KindSessionChanged, Params: mustEncode(t, ChangedParams{Code: "DEV2", Title: "Go", Change: ChangeCancelled,
				OldStart: start, OldEnd: end, Zones: Zones{VenueZone: "America/Los_Angeles"}})},
			subject: []string{"취소됨: DEV2 Go"}, line: []string{"DEV2 Go 세션이 취소되었습니다"}, text: []string{"좌석은 해제되었습니다"},
			html: []string{"세션이 취소되었습니다"}, link: "https://lanyard.example/agenda"},
		{name: "seat released en", lang: "en",
			m: lanyard.Message{Kind: lanyard.KindSessionChanged, Template: lanyard.KindSessionChanged, Params: mustEncode(t, ChangedParams{Code: "DEV2", Title: "Go", Change: ChangeSeatReleased,
				OldStart: start, OldEnd: end, Start: start, End: end, Room: "Room 2", Zones: Zones{VenueZone: "America/Los_Angeles"}})},
			subject: []string{"Seat released: DEV2 Go"}, line: []string{"has fewer seats: your seat is released"}, text: []string{"Your seat is released."},
			html: []string{"Your seat is released"}, link: "https://lanyard.example/agenda"},
		{name: "seat waitlisted ko", lang: "ko",
			m: lanyard.Message{Kind: lanyard.KindSessionChanged, Template: lanyard.KindSessionChanged, Params: mustEncode(t, ChangedParams{Code: "DEV2", Title: "Go", Change: ChangeSeatWaitlisted,
				OldStart: start, OldEnd: end, Start: start, End: end, Room: "Room 2", Zones: Zones{VenueZone: "America/Los_Angeles"}})},
			subject: []string{"대기자 명단으로 이동: DEV2 Go"}, line: []string{"대기자 명단으로 이동되었습니다"}, text: []string{"빈 좌석이 생기면 먼저 배정됩니다"},
			html: []string{"대기자 명단으로 이동되었습니다"}, link: "https://lanyard.example/agenda"},
		{name: "announcement en", lang: "en",
			m: lanyard.Message{Kind: lanyard.KindAnnouncement, Template: lanyard.KindAnnouncement, Params: mustEncode(t, AnnouncementParams{SubjectEn: "Shuttles <late>", BodyEn: "Buses run late.\n\nhttps://x.example/map",
				SubjectKo: "셔틀 지연", BodyKo: "버스가 늦습니다.", Unsubscribe: "/unsubscribe/t1"})},
			subject: []string{"Shuttles <late>"}, line: []string{"Announcement: Shuttles <late>"}, text: []string{"Buses run late.", "https://lanyard.example/unsubscribe/t1"},
			html: []string{"Shuttles &lt;late&gt;", `href="https://x.example/map"`, `href="https://lanyard.example/unsubscribe/t1"`}, link: "https://lanyard.example/notifications"},
		{name: "announcement ko", lang: "ko",
			m: lanyard.Message{Kind: lanyard.KindAnnouncement, Template: lanyard.KindAnnouncement, Params: mustEncode(t, AnnouncementParams{SubjectEn: "Shuttles", BodyEn: "Buses run late.",
				SubjectKo: "셔틀 지연", BodyKo: "버스가 늦습니다."})},
			subject: []string{"셔틀 지연"}, line: []string{"공지: 셔틀 지연"}, text: []string{"버스가 늦습니다.", "https://lanyard.example/settings#notifications"},
			html: []string{"수신 거부"}, link: "https://lanyard.example/notifications"},
		{name: "announcement ko falls back to en", lang: "ko",
			m:       lanyard.Message{Kind: lanyard.KindAnnouncement, Template: lanyard.KindAnnouncement, Params: mustEncode(t, AnnouncementParams{SubjectEn: "Shuttles", BodyEn: "Buses run late."})},
			subject: []string{"Shuttles"}, line: []string{"공지: Shuttles"}, text: []string{"Buses run late."}, html: []string{"Buses run late."},
			link: "https://lanyard.example/notifications"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.Render(tt.m, tt.lang)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				part, got string
				want      []string
			}{{"Subject", got.Subject, tt.subject}, {"Line", got.Line, tt.line}, {"Text", got.Text, tt.text}, {"HTML", got.HTML, tt.html}} {
				for _, w := range c.want {
					if !strings.Contains(c.got, w) {
						t.Errorf("%s=%q, want it to contain %q", c.part, c.got, w)
					}
				}
			}
			if strings.Contains(got.Subject, "\n") || strings.Contains(got.Line, "\n") {
				t.Errorf("Subject=%q Line=%q, want one line each", got.Subject, got.Line)
			}
			if !strings.HasPrefix(got.HTML, "<!doctype html>") || strings.Contains(got.HTML, "<link") || strings.Contains(got.HTML, "<script") {
				t.Errorf("HTML is not a self-contained document: %.200q", got.HTML)
			}
			if got, want := got.Link, tt.link; got != want {
				t.Errorf("Link=%q, want %q", got, want)
			}
			if got, bulk := got.Unsubscribe, tt.m.Kind == lanyard.KindAnnouncement; (got != "") != bulk || bulk && !strings.HasPrefix(got, "https://lanyard.example/") {
				t.Errorf("Unsubscribe=%q for a %s, want an absolute link only for announcements", got, tt.m.Kind)
			}
		})
	}
}

// TestRenderPaths: without a base URL, links stay site paths (the app's).
func TestRenderPaths(t *testing.T) {
	got, err := Render(lanyard.Message{Kind: lanyard.KindWaitlistPromoted, Template: lanyard.KindWaitlistPromoted, Params: map[string]string{"code": "A1", "title": "T"}}, "en")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := got.Link, "/agenda"; got != want {
		t.Errorf("Link=%q, want %q", got, want)
	}
}

func TestRenderBad(t *testing.T) {
	tests := []struct {
		name string
		m    lanyard.Message
	}{
		{"unknown kind", lanyard.Message{Kind: "nope", Template: "nope"}},
		{"seats not a number", lanyard.Message{Kind: lanyard.KindWaveReleased, Template: lanyard.KindWaveReleased, Params: map[string]string{"code": "K", "seats": "many"}}},
		{"bad change", lanyard.Message{Kind: lanyard.KindSessionChanged, Template: lanyard.KindSessionChanged, Params: map[string]string{"code": "K", "change": "exploded"}}},
		{"invitation without link", lanyard.Message{Kind: lanyard.KindInvitation, Template: lanyard.KindInvitation}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Render(tt.m, "en")
			if got, want := lanyard.ErrorCode(err), lanyard.EINVALID; got != want {
				t.Errorf("code=%q (%v), want %q", got, err, want)
			}
		})
	}
}

func TestParamsRoundTrip(t *testing.T) {
	start := time.Date(2026, 12, 2, 22, 30, 0, 0, time.UTC)
	in := ChangedParams{Code: "A", Title: "[Workshop] {x}", Change: ChangeMoved, Start: start, End: start.Add(time.Hour),
		Repeats: Repeats{{Code: "B", Start: start, End: start.Add(time.Hour)}}, Zones: Zones{VenueZone: "Asia/Seoul"}}
	m := mustEncode(t, in)
	if got, want := m["start"], "2026-12-02T22:30:00Z"; got != want {
		t.Errorf("start=%q, want %q", got, want)
	}
	if _, ok := m["old_start"]; ok {
		t.Errorf("a zero time is written: %v", m)
	}
	var out ChangedParams
	if err := Decode(m, &out); err != nil {
		t.Fatal(err)
	}
	if got, want := out.Title, in.Title; got != want {
		t.Errorf("Title=%q, want %q", got, want)
	}
	if len(out.Repeats) != 1 || !out.Repeats[0].Start.Equal(start) || out.VenueZone != "Asia/Seoul" {
		t.Errorf("decoded %+v, want %+v", out, in)
	}
	w := mustEncode(t, WaveParams{Code: "K", Seats: 12, Reserved: true})
	if got, want := w["seats"]+" "+w["reserved"], "12 true"; got != want {
		t.Errorf("seats reserved=%q, want %q", got, want)
	}
}

// TestWith: what the engine leaves out is filled in, what it wrote is kept,
// and the writer's map is not changed.
func TestWith(t *testing.T) {
	start := time.Date(2026, 12, 2, 22, 30, 0, 0, time.UTC)
	params := map[string]string{"code": "AIM101", "title": "Agents", "room": "Kept"}
	m := lanyard.Message{Kind: lanyard.KindWaitlistPromoted, Template: lanyard.KindWaitlistPromoted, Params: params}
	m = WithZones(WithSession(m, start, start.Add(time.Hour), "Venetian A"), Zones{VenueZone: "America/Los_Angeles", HomeZone: "Asia/Seoul"})
	if len(params) != 3 {
		t.Errorf("the writer's params changed: %v", params)
	}
	got, err := Render(m, "en")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"When: Wed, Dec 2, 2:30–3:30 PM PST (Thu, Dec 3, 7:30–8:30 AM KST)", "Where: Kept"} {
		if !strings.Contains(got.Text, want) {
			t.Errorf("Text=%q, want it to contain %q", got.Text, want)
		}
	}
}
