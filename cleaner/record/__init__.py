"""The record of what cleaning did, and its views: the sidecar, restore, composed fixes, explain."""
