"""What each audience may see, and how a committed change reaches it over Socket.IO."""
