package importer

import (
	"errors"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// TODO(helper): implement.
func readReinvent(data []byte, opt Options, rep *Report) (*lanyard.Catalog, error) {
	return nil, errors.New("not implemented")
}
