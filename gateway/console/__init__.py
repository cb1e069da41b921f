"""The agents' console under /console: escalated conversations, bookings, reports, dashboard."""
