//! Delivery to the council's Open311 GeoReport v2 system: client, outcome classification,
//! reconciliation, background worker, connectivity. (Being built: see issue 5.)
