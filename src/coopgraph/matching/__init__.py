"""Matching new partners, offers and requests: profiles, the match index, scoring, explanations.

A newcomer (someone who may not be in the graph) describes itself as a
:class:`~coopgraph.matching.profile.Profile`; :func:`~coopgraph.matching.scoring.match` ranks the
actors of the graph for it with the parts of :mod:`coopgraph.matching.parts`;
the weights of the parts are set by hand (:data:`~coopgraph.matching.parts.WEIGHTS`; weights
learned from the graph, :mod:`coopgraph.matching.weights`, measured worse);
:mod:`coopgraph.matching.proposals` matches the documented requests to offers with the same
scoring, and :mod:`coopgraph.matching.evaluation` measures the ranking by leave-one-out.
"""

from coopgraph.matching.index import MatchIndex, match_index
from coopgraph.matching.profile import Profile, ProfileBody, check_profile, read_body
from coopgraph.matching.scoring import WEIGHTS, Match, match, profile_of
from coopgraph.matching.weights import HAND_SET, Weights, fit_weights

__all__ = [
    "HAND_SET",
    "WEIGHTS",
    "Match",
    "MatchIndex",
    "Profile",
    "ProfileBody",
    "Weights",
    "check_profile",
    "fit_weights",
    "match",
    "match_index",
    "profile_of",
    "read_body",
]
