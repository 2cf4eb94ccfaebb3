"""``ihms policy network``: the co-occurrence network of units or categories within
entries, or (``--issuers``) the collaboration network of issuing bodies."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ihms._atomic import staged_set
from ihms._words import said
from ihms.cli._common import console, print_json, print_path
from ihms.cli.policy_analysis import (
    JsonOpt,
    ProjectArg,
    SchemeOpt,
    SourceOpt,
    _data,
    _save_png,
)
from ihms.errors import InputError

#: the options that choose codings, which an issuer network does not read
_CODED_OPTIONS = ("codebook", "dimension", "scheme", "source")


def _given(ctx: typer.Context, names) -> list[str]:
    """The options of ``names`` given on the command line (a default typed out too)."""
    sources = {n: ctx.get_parameter_source(n) for n in names}
    return [f"--{n}" for n, s in sources.items() if s and s.name in ("COMMANDLINE", "ENVIRONMENT")]


def network(
    ctx: typer.Context,
    project: ProjectArg,
    dimension: Annotated[
        str,
        typer.Option(
            help="Dimension naming the nodes: an open dimension's units (arrows down "
            "their tiers), or a closed dimension's categories (an undirected "
            "co-occurrence network)."
        ),
    ] = "symbiotic_unit",
    from_text: Annotated[
        bool,
        typer.Option(
            "--from-text", help="Find units in the texts by the codebook's synonyms, not codings."
        ),
    ] = False,
    issuers: Annotated[
        bool,
        typer.Option(
            "--issuers",
            help="The issuing bodies of the included documents (发文机关, split on 、, "
            "spaces and 等), linked by the documents they issued jointly; the options "
            "choosing codings (--dimension, --source, --scheme, --codebook) are refused.",
        ),
    ] = False,
    aliases: Annotated[
        Path | None,
        typer.Option(
            help="With --issuers: a UTF-8 text file of lines 'alias = name' for renamed "
            "bodies (国家中医药局 = 国家中医药管理局)."
        ),
    ] = None,
    codebook: Annotated[
        str | None,
        typer.Option(
            help="Codebook with the unit dictionary (default: the project's; "
            "symbiosis if it has no such dimension)."
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="Folder for network.graphml, nodes.csv, edges.csv, network.png."),
    ] = None,
    top: Annotated[int, typer.Option(help="Nodes drawn in the figure.")] = 25,
    min_weight: Annotated[
        int, typer.Option(help="Drop links seen in fewer entries (documents, with --issuers).")
    ] = 1,
    lang: Annotated[
        str,
        typer.Option(
            help="Unit and category names, tables and figure in en or zh (error "
            "messages stay English)."
        ),
    ] = "en",
    source: SourceOpt = "final",
    scheme: SchemeOpt = "clause",
    json: JsonOpt = False,
) -> None:
    """The co-occurrence network of units within entries (VI-HQMR policy study, Figure
    4; directed down the units' tiers), of a closed dimension's categories, or of the
    issuing bodies; each node's degree, weighted degree, degree centrality and
    betweenness and the density."""
    joint = None
    if issuers:
        if from_text:
            raise InputError("--issuers and --from-text: give one (issuers come from metadata)")
        coded = _given(ctx, _CODED_OPTIONS)
        if coded:
            raise InputError(
                f"--issuers links the included documents' issuing bodies; {', '.join(coded)} "
                f"{'choose' if len(coded) > 1 else 'chooses'} codings, which it does not "
                "read: leave them out, or draw the coded network without --issuers"
            )
        net, joint = _issuers(project, aliases, min_weight)
    else:
        if aliases is not None:
            raise InputError("--aliases names issuing bodies: give it with --issuers")
        net = _coded(project, dimension, from_text, codebook, lang, min_weight, source, scheme)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        names = ("network.graphml", "nodes.csv", "edges.csv", "network.png")
        with staged_set(out, names, record="policy-network") as (graphml, nodes, edges, png):
            net.to_graphml(graphml)
            net.nodes.to_csv(nodes, index=False, encoding="utf-8-sig")
            net.edges.to_csv(edges, index=False, encoding="utf-8-sig")
            _save_png(net.figure(top=top, lang=lang), png)
    if json:
        extra = {} if joint is None else {"jointly_issued": joint[0], "documents": joint[1]}
        print_json({"nodes": net.nodes, "edges": net.edges, "entries": net.entries,
                    "density": net.density, "directed": net.directed, "kind": net.kind,
                    **extra})  # fmt: skip
        return
    from ihms.policy._network_words import network_word

    console.print(net.summary(lang=lang))
    if joint is not None:
        share = 100 * joint[0] / joint[1] if joint[1] else 0.0
        line = network_word(lang, "joint", joint=joint[0], documents=joint[1], share=share)
        console.print(line, highlight=False)
    console.print(net.measures(lang=lang))
    if out is not None:
        print_path(said(lang, "written to"), out)


def _issuers(project: Path, aliases: Path | None, min_weight: int):
    from ihms.policy.issuers import issuer_network, joint_issuance, read_aliases
    from ihms.policy.project import Project

    renamed = read_aliases(aliases) if aliases is not None else None
    with Project(project) as p:
        docs = p.documents()
    screened = (docs["status"] == "included").any()  # as segmenting: all if none screened
    kept = docs[docs["status"] == "included"] if screened else docs
    by_doc = dict(zip(kept["id"], kept["issuer"], strict=True))
    net = issuer_network(by_doc, aliases=renamed, min_weight=min_weight)
    return net, joint_issuance(by_doc, aliases=renamed)


def _coded(project, dimension, from_text, codebook, lang, min_weight, source, scheme):
    from ihms.policy.codebook import load_codebook
    from ihms.policy.network import (
        cooperation_network,
        labels_of,
        tiers_of,
        units_from_codings,
        units_from_text,
    )

    data = _data(project, source, scheme)
    cb = load_codebook(codebook) if codebook else data.codebook
    try:
        dim = cb.dimension(dimension)
    except InputError:
        if codebook:
            raise
        dim = load_codebook("symbiosis").dimension(dimension)
    if from_text:
        units = units_from_text(
            dict(zip(data.segments["id"], data.segments["text"], strict=True)), dim
        )
    else:
        units = units_from_codings(data, dim.key)
    return cooperation_network(
        units, tiers=tiers_of(dim), labels=labels_of(dim, lang), min_weight=min_weight,
        kind="categories" if dim.kind == "closed" else "units",
    )  # fmt: skip
