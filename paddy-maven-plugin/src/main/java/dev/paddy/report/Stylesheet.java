package dev.paddy.report;

/** The report's one stylesheet, inline in the page: the system's own fonts, nothing fetched. */
final class Stylesheet {
    private Stylesheet() {}

    static final String CSS = """
            :root { --fg: #1f2328; --muted: #59636e; --line: #d8dee4; --soft: #f6f8fa; --accent: #0969da;
                    --ok: #1a7f37; --bad: #cf222e; --hl: #fff8c5; }
            * { box-sizing: border-box; }
            html { scroll-padding-top: 12px; }
            body { margin: 0; color: var(--fg); background: #fff;
                   font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans",
                         "Liberation Sans", Arial, sans-serif; }
            code, .hash { font: 12.5px/1.4 ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas,
                          "Liberation Mono", monospace; overflow-wrap: anywhere; }
            a { color: var(--accent); text-decoration: none; }
            a:hover { text-decoration: underline; }
            .layout { display: grid; grid-template-columns: 210px minmax(0, 1fr); min-height: 100vh; }
            nav.toc { position: sticky; top: 0; align-self: start; height: 100vh; overflow-y: auto;
                      background: var(--soft); border-right: 1px solid var(--line); padding: 20px 14px; }
            nav.toc .brand { font-weight: 600; font-size: 15px; margin: 0 0 2px; }
            nav.toc .sub { color: var(--muted); font-size: 12px; margin: 0 0 16px; overflow-wrap: anywhere; }
            nav.toc ol { list-style: none; margin: 0; padding: 0; }
            nav.toc li a { display: block; padding: 3px 8px; border-radius: 6px; color: var(--fg); }
            nav.toc li a:hover { background: #eaeef2; text-decoration: none; }
            nav.toc li.group { margin-top: 10px; color: var(--muted); font-size: 11px; text-transform: uppercase;
                               letter-spacing: .06em; padding: 0 8px; }
            nav.toc li .tag { margin-left: 4px; }
            main { padding: 24px 40px 80px; max-width: 1280px; }
            header.top h1 { font-size: 24px; margin: 0; }
            header.top p { margin: 2px 0 0; color: var(--muted); }
            .summary { display: flex; flex-wrap: wrap; gap: 12px; margin: 18px 0 8px; }
            .summary div { border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px; min-width: 130px; }
            .summary b { display: block; font-size: 20px; font-variant-numeric: tabular-nums; }
            .summary span { color: var(--muted); font-size: 12px; }
            section { margin: 0 0 28px; }
            h2 { font-size: 20px; margin: 36px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
            h3 { font-size: 15px; margin: 22px 0 8px; }
            .meta, .legend { color: var(--muted); margin: 0 0 6px; }
            .stale { border-left: 4px solid #d97706; padding: 4px 10px; background: #fef3c7; color: #78350f; }
            .subnav { margin: 0 0 8px; font-size: 13px; }
            .tag { display: inline-block; font-size: 12px; font-weight: 500; color: var(--muted); background: var(--soft);
                   border: 1px solid var(--line); border-radius: 10px; padding: 0 8px; vertical-align: middle; }
            .na { color: var(--muted); font-style: italic; }
            dl.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 4px 18px; margin: 0; }
            dl.facts dt { color: var(--muted); }
            dl.facts dd { margin: 0; }
            table { border-collapse: collapse; font-variant-numeric: tabular-nums; margin: 4px 0 8px; }
            table.data th, table.data td { padding: 4px 12px; border-bottom: 1px solid var(--line); text-align: left;
                                           vertical-align: top; }
            table.data thead th { font-weight: 600; border-bottom: 2px solid var(--line); white-space: nowrap; }
            table.stages tbody th { font-weight: 600; }
            table.stages tbody { border-top: 2px solid var(--line); }
            .num { text-align: right !important; white-space: nowrap; }
            tr.highlight td { background: var(--hl); }
            tr.ensemble-row td { border-top: 2px solid #d4a72c; border-bottom: 2px solid #d4a72c; }
            .badge { display: inline-block; font-size: 12px; line-height: 18px; padding: 0 7px; border-radius: 9px;
                     background: #eaeef2; }
            .badge.ran, .badge.ok { background: #dafbe1; color: var(--ok); }
            .badge.resolved { background: #ddf4ff; color: var(--accent); }
            .badge.bad { background: #ffebe9; color: var(--bad); }
            .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(360px, 1fr)); gap: 16px 24px;
                      max-width: 1160px; margin: 4px 0 12px; }
            figure { margin: 0; }
            figure.chart figcaption { font-weight: 500; margin: 0 0 4px; }
            img.plot, div.plot { width: 100%; height: auto; border: 1px solid var(--line); border-radius: 6px; }
            img.plot { display: block; }
            .placeholder { display: flex; align-items: center; justify-content: center; text-align: center;
                           background: repeating-linear-gradient(45deg, #f6f8fa, #f6f8fa 8px, #eef1f4 8px, #eef1f4 16px);
                           color: var(--muted); font-size: 12px; padding: 6px; overflow: hidden; overflow-wrap: anywhere; }
            .scroll { overflow-x: auto; }
            table.confusion { font-size: 13px; }
            table.confusion th, table.confusion td { border: 1px solid #fff; padding: 0; }
            table.confusion td.cell, table.confusion td.total { width: 48px; height: 30px; text-align: center; }
            table.confusion td.zero { color: #c4cbd3; }
            table.confusion td.total { background: var(--soft); padding: 0 8px; }
            table.confusion th.actual { text-align: right; padding: 0 10px; font-weight: 500; white-space: nowrap; }
            table.confusion th.corner { vertical-align: bottom; text-align: right; padding: 4px 10px;
                                        color: var(--muted); font-weight: 400; font-size: 12px; white-space: nowrap; }
            table.confusion th.pred { vertical-align: bottom; height: 1px; padding: 4px 0; font-weight: 500; }
            table.confusion th.pred span { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap;
                                           display: inline-block; }
            table.confusion th.total { color: var(--muted); font-weight: 400; }
            .losses { display: grid; grid-template-columns: repeat(auto-fill, 152px); gap: 14px 12px; }
            figure.loss { width: 152px; }
            img.thumb, div.thumb { width: 112px; height: 112px; margin: 0 auto 4px; border-radius: 4px; }
            img.thumb { display: block; background: #000; }
            div.thumb { border: 1px dashed #c4cbd3; }
            figure.loss figcaption { font-size: 12px; text-align: center; line-height: 1.35; overflow-wrap: anywhere; }
            figure.loss .wrong { color: var(--bad); font-weight: 600; }
            figure.loss .right { color: var(--ok); font-weight: 600; }
            figure.loss .file { color: var(--muted); }
            figure.loss .why { color: var(--bad); font-size: 11px; }
            .meter { width: 320px; max-width: 100%; height: 8px; background: #eaeef2; border-radius: 4px; margin: 4px 0; }
            .meter span { display: block; height: 100%; background: var(--ok); border-radius: 4px; }
            .meter.over span { background: var(--bad); }
            @media (max-width: 900px) {
              .layout { grid-template-columns: 1fr; }
              nav.toc { position: static; height: auto; border-right: 0; border-bottom: 1px solid var(--line); }
              nav.toc ol { display: flex; flex-wrap: wrap; gap: 2px 6px; }
              main { padding: 16px; }
            }
            @media print { nav.toc { display: none; } .layout { display: block; } }
            """;
}
