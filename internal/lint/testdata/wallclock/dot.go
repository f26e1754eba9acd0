package wallclock

import . "time"

// dotted reads the clock through a dot import, which the check refuses.
var dotted = Now
