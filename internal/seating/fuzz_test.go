package seating

import (
	"errors"
	"fmt"
	"testing"
)

// FuzzSeat: any problem built from the bytes is either refused with one of
// the named errors or seated within every hard constraint, the same plan
// twice for the same seed.
func FuzzSeat(f *testing.F) {
	f.Add([]byte{4, 3, 1, 2, 3, 4, 5, 6, 7, 8}, uint64(1))
	f.Add([]byte{10, 2, 0, 0, 0, 0, 9, 9, 9, 9, 9, 9, 9, 1}, uint64(7))
	f.Add([]byte{1, 1, 255}, uint64(0))
	f.Fuzz(func(t *testing.T, data []byte, seed uint64) {
		if len(data) < 2 || len(data) > 400 {
			return
		}
		tables, size := int(data[0]%12)+1, int(data[1]%9)+1
		pr := Problem{Tables: make([]int, tables)}
		for i := range pr.Tables {
			pr.Tables[i] = size
		}
		langs := [][]string{{"en"}, {"ko"}, {"en", "ko"}, {"ja", "en"}}
		for i, b := range data[2:] {
			g := Guest{ID: int64(i + 1), Company: fmt.Sprint(b % 5), Languages: langs[int(b>>3)%len(langs)],
				Interests: []string{fmt.Sprint(b % 7), fmt.Sprint(b % 3)}}
			if b&0x80 != 0 && i > 0 {
				g.With = []int64{int64(i)}
			}
			pr.Guests = append(pr.Guests, g)
		}
		a, err := Seat(pr, seed, Options{Iterations: 3000})
		if err != nil {
			for _, want := range []error{ErrNoSeats, ErrGroupTooLarge, ErrNoLanguage, ErrLanguageTables} {
				if errors.Is(err, want) {
					return
				}
			}
			t.Fatalf("unnamed error: %v", err)
		}
		if err := Check(pr, a); err != nil {
			t.Fatal(err)
		}
		b, _ := Seat(pr, seed, Options{Iterations: 3000})
		for i := range a.Table {
			if a.Table[i] != b.Table[i] {
				t.Fatal("not deterministic")
			}
		}
	})
}
