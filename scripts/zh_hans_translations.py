# ruff: noqa: E501 - a translation table: long lines by design
"""Fill locale/zh_Hans/LC_MESSAGES/django.po from the table below, then compile it.

Run after `manage.py makemessages -l zh_Hans`: `python scripts/zh_hans_translations.py`.
Entries already translated in the .po are kept; fuzzy flags on filled entries are dropped.
Needs no third-party package; `compilemessages` needs GNU gettext (msgfmt).
"""

import re
import subprocess
import sys
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"

ZH = {
    # Filters and form errors the works page shows
    "Text search (English or Chinese), %(max)d characters at most": "文本搜索（中英文均可），最多 %(max)d 个字符",
    "Title": "标题",
    "Newest batch": "最新批次",
    "Year": "年份",
    "Last changed": "最近修改",
    "First recorded": "首次收录",
    "Theme (slug); several mean any of them": "主题",
    "Initiative (slug) whose published batches list the work": "计划",
    "Batch (slug: initiative slug and number, e.g. travel-with-micro-dramas-4)": "批次",
    "Place (slug); a province includes its cities and sites": "地点（含其下属地点）",
    "Organisation (slug) behind the work, in any role unless `role` is given": "机构",
    "Year the work was released or recommended in a published batch": "作品发布或入选年份",
    "Sort by": "排序",
    # Kinds, roles, relations shown on pages
    "country": "国家",
    "province": "省",
    "municipality": "直辖市",
    "special administrative region": "特别行政区",
    "city": "市",
    "district": "区",
    "county": "县",
    "village": "村",
    "site": "景点",
    "route": "线路",
    "regulator": "监管机构",
    "government body": "政府机构",
    "broadcaster": "播出机构",
    "media outlet": "媒体",
    "platform": "平台",
    "production company": "制作公司",
    "brand": "品牌",
    "association": "协会",
    "company": "企业",
    "production base": "拍摄基地",
    "filmed at": "拍摄于",
    "set in": "故事发生在",
    "features": "展现了",
    "from": "来自",
    "producer": "出品方",
    "co-producer": "联合出品方",
    "brand partner": "品牌合作方",
    "creation plan": "创作计划",
    "programme": "项目",
    "selection competition": "评选活动",
    "policy": "政策",
    "guiding authority": "指导单位",
    "initiator": "发起单位",
    "organiser": "主办单位",
    "co-organiser": "协办单位",
    "partner": "合作单位",
    "participant": "参与单位",
    "day": "日",
    "month": "月",
    "year": "年",
    "draft": "草稿",
    "published": "已发布",
    "exactly": "恰好",
    "more than": "超过",
    "about": "约",
    "%(initiative)s — batch %(number)s": "%(initiative)s — 第%(number)s批",
    # Model names
    "theme": "主题",
    "themes": "主题",
    "place": "地点",
    "places": "地点",
    "organisation": "机构",
    "organisations": "机构",
    "work": "作品",
    "works": "作品",
    "initiative": "计划",
    "initiatives": "计划",
    "batch": "批次",
    "batches": "批次",
    "source": "来源",
    "sources": "来源",
    "figure": "数据",
    "figures": "数据",
    "title": "标题",
    "original title": "原标题",
    "synopsis": "简介",
    "season": "季",
    "episodes": "集数",
    "name": "名称",
    "original name": "原名",
    # Pages
    "date not given": "日期未注明",
    "Theme": "主题",
    "Initiative": "计划",
    "Batch": "批次",
    "Place": "地点",
    "Organisation": "机构",
    "Text": "文本",
    "Type a title, a name or a place, in English or Chinese.": "请输入标题、名称或地点，中英文均可。",
    "That search is %(length)d characters long; please use %(max)d at most.": "搜索词长 %(length)d 个字符，最多只能 %(max)d 个。",
    "Works": "作品",
    "Initiatives": "计划",
    "Themes": "主题",
    "Places": "地点",
    "Organisations": "机构",
    "English": "英语",
    "Simplified Chinese": "简体中文",
    "Page not found": "页面不存在",
    "There is no page at this address: the record may not exist, may not be published yet, or the page number is beyond the last page.": "此地址没有页面：该记录可能不存在或尚未发布，或页码超出了最后一页。",
    "Browse all works": "浏览全部作品",
    "Browse by theme": "按主题浏览",
    "Search the catalog": "搜索目录",
    "Micro-Drama Catalog": "微短剧目录",
    "A catalog of officially recommended micro-dramas: browse by theme, place, initiative and batch, in English and Chinese.": "官方推荐微短剧目录：按主题、地点、计划和批次浏览，支持中英文。",
    "Skip to content": "跳到正文",
    "Main": "主导航",
    "Title, place, organisation…": "标题、地点、机构……",
    "Search": "搜索",
    "Language": "语言",
    "Switch": "切换",
    "Every record comes from a cited source. Where a source does not say, the catalog leaves the field empty; announced counts and listed works are shown side by side.": "每条记录均注明来源。来源未说明的内容留空；公布数量与已收录作品并列显示。",
    "Sitemap": "网站地图",
    "What %(name)s guided, initiated, produced or sponsored among recommended micro-dramas.": "%(name)s 指导、发起、出品或赞助的推荐微短剧。",
    "Website": "网站",
    "In initiatives": "参与的计划",
    "Behind these works": "参与的作品",
    "watch": "观看",
    "The sources name this organisation but no work or initiative role for it yet.": "来源提到了该机构，但尚未说明它在作品或计划中的角色。",
    "Units": "下属单位",
    "Regulators, broadcasters, platforms, producers and brands behind recommended micro-dramas and the initiatives that list them.": "推荐微短剧及相关计划背后的监管机构、播出机构、平台、出品方和品牌。",
    "%(counter)s work": "%(counter)s 部作品",
    "%(counter)s initiative": "%(counter)s 个计划",
    "No organisations yet.": "暂无机构。",
    "Recommended micro-dramas filmed or set in %(name)s and the places inside it.": "在%(name)s及其下属地点拍摄或取景的推荐微短剧。",
    "Breadcrumb": "面包屑导航",
    "Home": "首页",
    "in": "位于",
    "Places inside it": "下属地点",
    "%(counter)s work filmed or set here": "在此拍摄或取景的作品 %(counter)s 部",
    "No work in the catalog is filmed or set here yet.": "目录中暂无在此拍摄或取景的作品。",
    "Based here": "本地计划与机构",
    "In figures": "数据",
    "Provinces, cities, counties and sites where recommended micro-dramas are filmed or set.": "推荐微短剧拍摄或取景的省、市、县和景点。",
    "Where the works are filmed or set. A province counts the works of its cities and sites.": "作品的拍摄地或故事发生地。省份的作品数包含其下属市县和景点的作品。",
    "No places yet.": "暂无地点。",
    "Micro-dramas recommended under the theme “%(name)s”, across initiatives and batches.": "各计划、各批次中以“%(name)s”为主题推荐的微短剧。",
    "A theme of": "所属计划：",
    "Announced and listed, per batch": "各批次公布与收录数量",
    "Date": "日期",
    "Announced": "公布",
    "Listed here": "本目录收录",
    "%(initiative)s, batch %(number)s": "%(initiative)s 第%(number)s批",
    "No work listed under this theme yet.": "该主题下暂无收录作品。",
    "Filter these works further": "进一步筛选这些作品",
    "The themes under which micro-dramas are recommended, with the number of works listed under each.": "推荐微短剧所属的主题，以及每个主题下收录的作品数。",
    "Initiatives announce their recommended works under themes. Pick one to see its works across every initiative and batch.": "各计划按主题公布推荐作品。选择一个主题，查看它在所有计划和批次中的作品。",
    "%(counter)s work listed": "已收录 %(counter)s 部作品",
    "No themes yet.": "暂无主题。",
    "The micro-drama “%(title)s”: where it was recommended, filmed and who made it.": "微短剧《%(title)s》：入选哪份名单、在哪里拍摄、由谁制作。",
    "Season %(season)s": "第%(season)s季",
    "Original title": "原标题",
    "Episodes": "集数",
    "%(minutes)s minutes each": "每集 %(minutes)s 分钟",
    "Synopsis": "简介",
    "The sources give no synopsis.": "来源未提供简介。",
    "Recommended in": "入选",
    "batch %(number)s": "第%(number)s批",
    "the source gives no theme": "来源未注明主题",
    "A source names this work outside any published list.": "来源在已发布名单之外提到了这部作品。",
    "Where to watch": "观看渠道",
    "The sources do not say where to watch it.": "来源未说明在哪里观看。",
    "All works": "全部作品",
    "Every recommended micro-drama in the catalog, filterable by theme, initiative, batch, place, organisation and year.": "目录中的全部推荐微短剧，可按主题、计划、批次、地点、机构和年份筛选。",
    "Filter works": "筛选作品",
    "Title or text contains": "标题或文字包含",
    "Any theme": "全部主题",
    "Any initiative": "全部计划",
    "Any batch": "全部批次",
    "Place (includes places inside it)": "地点（含下属地点）",
    "Any place": "全部地点",
    "Any organisation": "全部机构",
    "Year (released or recommended)": "年份（发布或入选）",
    "Newest batch first": "最新批次优先",
    "Newest year first": "最新年份优先",
    "Show works": "显示作品",
    "Clear filters": "清除筛选",
    "These filters cannot be applied": "无法应用这些筛选条件",
    "Show all works": "显示全部作品",
    "Filtered by": "筛选条件：",
    "No work matches these filters. Try removing one.": "没有符合这些条件的作品，请尝试去掉一个条件。",
    "Officially recommended micro-dramas": "官方推荐微短剧",
    "Public creation plans such as “Travel with Micro-Dramas” announce recommended micro-dramas in numbered batches, grouped by theme. This catalog gathers those lists so you can browse them by theme, place, initiative and batch, and see the source for every record.": "“跟着微短剧去旅行”等公开创作计划按批次、分主题公布推荐微短剧。本目录汇集这些名单，方便按主题、地点、计划和批次浏览，并可查看每条记录的来源。",
    "%(counter)s work listed so far.": "目前已收录 %(counter)s 部作品。",
    "Latest batch": "最新批次",
    "Batch %(number)s": "第%(number)s批",
    "Announced per theme": "各主题公布数量",
    "No published batch yet.": "尚无已发布的批次。",
    "Source": "来源",
    "announced count not given · %(listed)s listed": "公布数量未注明 · 收录 %(listed)s 部",
    "%(announced)s announced · %(listed)s listed": "公布 %(announced)s 部 · 收录 %(listed)s 部",
    "Pages": "分页",
    "Previous page": "上一页",
    "Page %(number)s of %(total)s": "第 %(number)s 页，共 %(total)s 页",
    "Next page": "下一页",
    "Sources": "来源",
    "%(episodes)s episode": "%(episodes)s 集",
    "No works here yet.": "暂无作品。",
    "The micro-dramas announced in batch %(number)s of %(initiative)s, per theme: how many were announced and which the catalog lists.": "%(initiative)s 第%(number)s批公布的微短剧：各主题公布数量及本目录收录的作品。",
    "Announced on": "公布日期",
    "Event": "活动",
    "“Announced” is how many works the announcement names under a theme; “listed” is how many of them a source names, so the catalog can show them. The catalog invents nothing to fill the gap.": "“公布”指该主题下公布的作品数量；“收录”指来源中点名、因而本目录能够展示的作品数量。本目录不会编造作品来填补差额。",
    "Per theme": "按主题",
    "Listed": "收录",
    "In words": "说明",
    "No theme given": "未注明主题",
    "Total": "合计",
    "Listed works, by theme": "收录作品（按主题）",
    "The sources name none of these works yet.": "来源尚未点名这些作品。",
    "No theme given by the source": "来源未注明主题",
    "No work of this batch is listed yet.": "该批次尚无收录作品。",
    "%(name)s: who runs it, its themes and its batches of recommended micro-dramas.": "%(name)s：组织单位、主题与各批次推荐微短剧。",
    "Kind": "类型",
    "Launched": "启动时间",
    "The sources do not say.": "来源未说明。",
    "Part of": "隶属于",
    "part of": "隶属于",
    "Aims": "目标",
    "Who guides and runs it": "指导与组织单位",
    "Batches": "批次",
    "Announced and listed": "公布与收录",
    "All works this initiative recommends": "该计划推荐的全部作品",
    "Parts": "子项目",
    "Creation plans and programmes that announce recommended micro-dramas in batches.": "分批公布推荐微短剧的创作计划和项目。",
    "launched": "启动于",
    "No initiatives yet.": "暂无计划。",
    "The source document “%(title)s” and the catalog records that cite it.": "来源文献《%(title)s》及引用它的目录记录。",
    "Publisher": "发布者",
    "Published on": "发布日期",
    "Address": "网址",
    "Figures": "数据",
    "Search: %(query)s": "搜索：%(query)s",
    "Search recommended micro-dramas, initiatives, places and organisations in English or Chinese.": "用中文或英文搜索推荐微短剧、计划、地点和机构。",
    "Title, name or place, in English or Chinese": "标题、名称或地点（中英文均可）",
    "One Chinese character is enough; %(max_length)s characters at most.": "输入一个汉字即可搜索；最多 %(max_length)s 个字符。",
    "%(counter)s result for “%(query)s”": "“%(query)s”的搜索结果：%(counter)s 条",
    "All matching works": "全部匹配作品",
    "Nothing in the catalog matches “%(query)s”. Try fewer words, or the Chinese title.": "目录中没有与“%(query)s”匹配的内容。请减少关键词，或尝试中文标题。",
    # Operations: outages and errors (issue 9)
    "Temporarily unavailable": "暂时无法访问",
    "The catalog cannot reach its records right now. Please try again in a minute; nothing you were looking at has changed.": "目录暂时无法读取数据，请一分钟后再试；您所浏览的内容没有任何变化。",
    "The catalog is temporarily unavailable. Try again shortly.": "目录暂时无法访问，请稍后再试。",
    "Bad request.": "请求有误。",
    "Not found.": "未找到。",
    "Server error: the request could not be completed.": "服务器错误：请求未能完成。",
    "You do not have permission to perform this action.": "您无权执行此操作。",
}


def unquote(lines):
    return "".join(
        re.match(r'^(?:msgid|msgid_plural|msgstr(?:\[\d\])?)?\s*"(.*)"$', line)
        .group(1)
        .replace('\\"', '"')
        .replace("\\n", "\n")
        .replace("\\\\", "\\")
        for line in lines
    )


def quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def field(lines, key):
    """The lines of field `key` (its first line and any continuation lines)."""
    out, taking = [], False
    for line in lines:
        if line.startswith(key + " "):
            taking = True
            out.append(line)
        elif taking and line.startswith('"'):
            out.append(line)
        elif taking:
            break
    return out


def fill(text):
    blocks = text.split("\n\n")
    missing = []
    for i, block in enumerate(blocks[1:], start=1):
        lines = block.split("\n")
        msgid_lines = field(lines, "msgid")
        if not msgid_lines:
            continue
        msgid = unquote(msgid_lines)
        plural = bool(field(lines, "msgid_plural"))
        key = "msgstr[0]" if plural else "msgstr"
        current = unquote(field(lines, key))
        if current:
            continue
        if msgid not in ZH:
            missing.append(msgid)
            continue
        kept = [
            line
            for line in lines
            if not line.startswith(("msgstr", '"'))
            or line in field(lines, "msgid") + field(lines, "msgid_plural")
        ]
        kept = [
            line.replace(", fuzzy", "") if line.startswith("#,") else line
            for line in kept
            if line != "#, fuzzy"
        ]
        kept.append(f"{key} {quote(ZH[msgid])}")
        blocks[i] = "\n".join(kept)
    return "\n\n".join(blocks), missing


def main():
    text, missing = fill(PO.read_text(encoding="utf-8"))
    PO.write_text(text, encoding="utf-8")
    if "-v" in sys.argv:
        print("\n".join(f"untranslated: {m}" for m in missing))
    subprocess.run(
        [sys.executable, "manage.py", "compilemessages", "-l", "zh_Hans"],
        cwd=PO.parents[3],
        check=True,
    )


if __name__ == "__main__":
    main()
