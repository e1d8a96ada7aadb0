"""Matching new partners, offers and requests: profiles, the match index, scoring, explanations.

A newcomer (someone who may not be in the graph) describes itself as a
:class:`~coopgraph.matching.profile.Profile`; :func:`~coopgraph.matching.scoring.match` ranks the
actors of the graph for it with the parts of :mod:`coopgraph.matching.parts`;
the weights of the parts are learned from the graph (:mod:`coopgraph.matching.weights`);
:mod:`coopgraph.matching.proposals` matches the documented requests to offers with the same
scoring, and :mod:`coopgraph.matching.evaluation` measures the ranking by leave-one-out.
"""

from coopgraph.matching.index import MatchIndex, match_index
from coopgraph.matching.profile import Profile, ProfileBody, check_profile, read_body
from coopgraph.matching.scoring import WEIGHTS, Match, match, profile_of
from coopgraph.matching.weights import Weights, fit_weights, fitted_weights

__all__ = [
    "WEIGHTS",
    "Match",
    "MatchIndex",
    "Profile",
    "ProfileBody",
    "Weights",
    "check_profile",
    "fit_weights",
    "fitted_weights",
    "match",
    "match_index",
    "profile_of",
    "read_body",
]
