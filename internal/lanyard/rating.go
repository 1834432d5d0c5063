package lanyard

import (
	"strings"
	"time"
)

// ENotCheckedIn refuses a rating of a session the attendee was not
// admitted to at its door: only people who were in the room rate it.
const ENotCheckedIn = "not_checked_in"

// RuleComment is a rating's comment: a few paragraphs at most.
var RuleComment = TextRule{Max: 2000, MultiLine: true}

// Rating is one attendee's rating of one session they checked in to: a
// score from 1 to 5 and an optional comment. An attendee has at most one
// per session, and may change it.
type Rating struct {
	Session   string    `json:"session"`
	Score     int       `json:"score"`
	Comment   string    `json:"comment"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Validate checks the score's range and the comment's text (CheckText),
// after trimming the comment's outer space. Returns EINVALID with the
// field named.
func (r *Rating) Validate() error {
	if r.Score < 1 || r.Score > 5 {
		return &Error{Code: EINVALID, Field: "score", Message: "The score must be a whole number from 1 to 5."}
	}
	r.Comment = strings.TrimSpace(r.Comment)
	return CheckText("comment", r.Comment, RuleComment)
}

// SessionRatings sums up the ratings of one session.
type SessionRatings struct {
	Session string
	Count   int
	// Sum of the scores; Average is Sum/Count.
	Sum int
	// ByScore counts the ratings of each score, ByScore[0] for 1.
	ByScore [5]int
	// Comments are the non-empty comments, newest first.
	Comments []RatingComment
}

// Average is the mean score, 0 with no ratings.
func (s SessionRatings) Average() float64 {
	if s.Count == 0 {
		return 0
	}
	return float64(s.Sum) / float64(s.Count)
}

// RatingComment is one comment with its score, without who wrote it:
// speakers and reports see what was said, not by whom.
type RatingComment struct {
	Score   int       `json:"score"`
	Comment string    `json:"comment"`
	At      time.Time `json:"at"`
}
