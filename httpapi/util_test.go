package httpapi_test

import (
	"encoding/json"
	"net/http"
)

func jsonDecode(resp *http.Response, out any) error {
	defer resp.Body.Close()
	return json.NewDecoder(resp.Body).Decode(out)
}
