package importer

import (
	"errors"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// TODO(helper): implement.
func readLanyardJSON(data []byte, rep *Report) (*lanyard.Catalog, error) {
	return nil, errors.New("not implemented")
}
