package fastvalidator

import "github.com/connectorgroups/connectorgroups/internal/specvalidator"

// BodyVerdicts checks body as operation op's JSON answer at status both
// ways: in place (conformsInPlace) and by the reference reading (DecodeJSON
// and schema.check, what checkBody falls back to). found is false when the
// answer declares no JSON body schema.
func (v *Responses) BodyVerdicts(op string, status int, body []byte) (inPlace bool, reference string, found bool) {
	o := v.ops[op]
	if o == nil {
		return false, "", false
	}
	r := o.byCode[status]
	if r == nil && 99 < status && status < 600 {
		r = o.ranges[status/100]
	}
	if r == nil {
		r = o.dflt
	}
	if r == nil || r.media["application/json"] == nil {
		return false, "", false
	}
	s := r.media["application/json"]
	value, err := specvalidator.DecodeJSON(body)
	if err != nil {
		reference = "not JSON: " + err.Error()
	} else {
		reference = s.check(value)
	}
	return conformsInPlace(s, body), reference, true
}
