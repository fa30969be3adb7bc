// Package desired makes a tenant's connector groups match a file that
// says which groups exist and what each holds: the connector groups as
// code, in the terms of Graph's own rules.
//
// A [File] lists connector groups. The default group is the one marked
// default; every other group is matched to the service's by name. Parse
// reads one from YAML (JSON too), with the line of every problem;
// [Export] reads one from the service.
//
// [NewPlan] reads the service and compares: it changes nothing, and its
// [Plan] lists the [Change]s that make the service match the file, in the
// order [Plan.Apply] makes them:
//
//  1. create the groups the file has and the service lacks, each with its
//     region, and rename the default group if the file names it otherwise;
//  2. move each listed connector and application into the group that
//     lists it; one not listed anywhere stays where it is;
//  3. change the region of each group whose region the file changes: by
//     now it is empty, since Graph changes a group's region only then; the
//     moves into such a group come right after its change;
//  4. with Options.Prune, move what the groups the file omits still hold
//     into the default group, and delete them, one group at a time, by
//     name.
//
// What apply never does:
//   - delete the default group, or a group the system made for another
//     purpose (a connectorGroupType other than applicationProxy);
//   - send a region to a group that holds connectors or applications. A
//     region change the moves cannot empty the group for is refused in
//     the plan, with the reason: moving the group's connectors and
//     applications out and back would leave its applications served by
//     other connectors meanwhile, and for good if the run stops halfway.
//     The check is made again right before the change;
//   - touch a connector, application or group the file does not name,
//     but for what Prune moves and deletes.
//
// Problems with the file, including those that show only against the
// service (a name that matches several groups, a connector the service
// does not know, a refused region change), are a *[FileError] that lists
// each with its line. Running apply again after it succeeded changes
// nothing: the second plan is empty.
package desired
