"""Graph checks of a branching scenario: what an author can get wrong in the node structure.

Kept apart from the YAML parsing so each rule is small and testable on plain data:

* a choice that points to a node that does not exist;
* a node that is not an ending and offers no choice (a dead end);
* a node that cannot be reached from the start node;
* a loop with no way out: a cycle of reachable nodes from which no ending can be reached.

Loops *with* a way out are allowed (a trainee may be sent back to try again).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass
class Edge:
    target: str
    #: where ``next:`` is written, for "points nowhere"
    line: int
    #: 1-based position of the choice in its node, for messages
    number: int


@dataclass
class GraphNode:
    id: str
    line: int
    is_ending: bool
    edges: list[Edge] = field(default_factory=list)


@dataclass(frozen=True)
class GraphProblem:
    line: int
    message: str


def check_graph(nodes: dict[str, GraphNode], start: str | None, start_line: int) -> list[GraphProblem]:
    problems: list[GraphProblem] = []
    if start is not None and start not in nodes:
        problems.append(GraphProblem(start_line, f"start node {start!r} does not exist"))
    elif start is not None and nodes[start].is_ending:
        problems.append(GraphProblem(start_line, f"start node {start!r} is an ending: the scenario has no choice"))
    for node in nodes.values():
        for edge in node.edges:
            if edge.target not in nodes:
                problems.append(GraphProblem(edge.line, f"choice {edge.number} of node {node.id!r} points to "
                                             f"unknown node {edge.target!r}"))
        if not node.is_ending and not node.edges:
            problems.append(GraphProblem(node.line, f"node {node.id!r} is a dead end: it has no choices "
                                         "and is not an ending"))
    if start not in nodes:
        return problems
    reachable = _reachable(nodes, start)
    for node in nodes.values():
        if node.id not in reachable:
            problems.append(GraphProblem(node.line, f"node {node.id!r} is unreachable from the start node {start!r}"))
    problems.extend(_traps(nodes, reachable))
    return problems


def successors(node: GraphNode, nodes: dict[str, GraphNode]) -> list[str]:
    return [edge.target for edge in node.edges if edge.target in nodes]


def _reachable(nodes: dict[str, GraphNode], start: str) -> set[str]:
    seen = {start}
    stack = [start]
    while stack:
        for target in successors(nodes[stack.pop()], nodes):
            if target not in seen:
                seen.add(target)
                stack.append(target)
    return seen


def can_finish(nodes: dict[str, GraphNode]) -> set[str]:
    """Nodes from which some ending can be reached (endings included)."""
    predecessors: dict[str, list[str]] = {node_id: [] for node_id in nodes}
    for node in nodes.values():
        for target in successors(node, nodes):
            predecessors[target].append(node.id)
    done = {node.id for node in nodes.values() if node.is_ending}
    stack = list(done)
    while stack:
        for source in predecessors[stack.pop()]:
            if source not in done:
                done.add(source)
                stack.append(source)
    return done


def _traps(nodes: dict[str, GraphNode], reachable: set[str]) -> Iterator[GraphProblem]:
    """One problem per cycle (strongly connected component) of reachable nodes that cannot finish.

    Every reachable node that cannot finish leads either into such a cycle or into a dead end /
    broken choice, which is reported on its own, so reporting the cycles is enough.
    """
    finishing = can_finish(nodes)
    trapped = {node_id for node_id in reachable if node_id not in finishing}
    for component in _components(nodes, trapped):
        looped = len(component) > 1 or component[0] in successors(nodes[component[0]], nodes)
        if not looped:
            continue
        ordered = sorted(component, key=lambda node_id: nodes[node_id].line)
        path = " → ".join([*ordered, ordered[0]])
        yield GraphProblem(nodes[ordered[0]].line, f"loop with no way out: {path} never reaches an ending")


def _components(nodes: dict[str, GraphNode], subset: set[str]) -> list[list[str]]:
    """Strongly connected components of the subgraph on ``subset`` (iterative Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    result: list[list[str]] = []
    counter = 0
    for root in sorted(subset):
        if root in index:
            continue
        work = [(root, iter([t for t in successors(nodes[root], nodes) if t in subset]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node_id, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter([t for t in successors(nodes[child], nodes) if t in subset])))
                    advanced = True
                    break
                if child in on_stack:
                    low[node_id] = min(low[node_id], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node_id])
            if low[node_id] == index[node_id]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node_id:
                        break
                result.append(component)
    return result
