"""Models: the networks and classical models of the ladder, musicnn and its genre head, the music detector."""
