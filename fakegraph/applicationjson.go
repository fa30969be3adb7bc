package fakegraph

// appendApplication appends a as the fake writes an application, in the
// order Graph writes its properties: id, appId, displayName, and
// onPremisesPublishing, the object the seed gave (compacted when the seed
// was read), or null when publishing is off, as Graph sends a nullable
// property.
func appendApplication(b []byte, a Application, odataContext string) []byte {
	b = openEntity(b, odataContext)
	b = append(b, `"id":`...)
	b = appendJSONString(b, a.ID)
	b = append(b, `,"appId":`...)
	b = appendJSONString(b, a.AppID)
	b = append(b, `,"displayName":`...)
	b = appendJSONString(b, a.DisplayName)
	b = append(b, `,"onPremisesPublishing":`...)
	if a.Published() {
		b = append(b, a.OnPremisesPublishing...)
	} else {
		b = append(b, "null"...)
	}
	return append(b, '}')
}

func appendApplicationItem(b []byte, a Application) []byte { return appendApplication(b, a, "") }
