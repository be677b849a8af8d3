"""Playgrounds: small experiments that show one technique at a time, without Qt.

Optimizer paths on 2-D functions and the learning-rate range test. Each uses the engine's own
pieces (`workbench.core.optim.build_optimizer`, the schedules, the model builder and the data
split), so what a learner sees is what trains their networks.
"""
