"""Demo media: drawn by code at seed time (see ``shapes.GENERATORS``), and
the videos rendered beforehand from ``demo/videos.py`` (committed files).

Titles, alt texts, image captions and transcripts are Chinese; generator
args are ASCII because the drawing code has no CJK font.
"""

from __future__ import annotations

from pathlib import Path

from .shapes import DemoCaptionTrack, DemoMedia
from .videos import VIDEOS, DemoVideo

# The rendered videos and their WebVTT tracks (python -m demo.make_videos writes them).
VIDEO_DIR = Path(__file__).parent / "videos"


def _tracks(video: DemoVideo) -> tuple[DemoCaptionTrack, ...]:
    """Captions in the language spoken (zh-CN), and English subtitles where the script has them."""
    tracks = [DemoCaptionTrack("zh-CN", "中文", "CAPTIONS", f"{video.key}.zh-CN.vtt")]
    if any(language == "en" for language, _ in video.scenes[0].translations):
        tracks.append(DemoCaptionTrack("en", "English", "SUBTITLES", f"{video.key}.en.vtt"))
    return tuple(tracks)


TRANSCRIPT_BRAIN = """\
【旁白】同学们好，欢迎来到视听禁毒课堂。今天我们聊一聊：毒品为什么会让人上瘾？
【旁白】我们的大脑里有一套“奖赏系统”。吃到美食、完成一件难事、和朋友开怀大笑时，大脑会释放一种叫多巴胺的物质，让我们感到愉快，也让我们愿意再去做这些有益的事。
【旁白】毒品会粗暴地闯进这套系统。比如冰毒，它会让大脑在短时间内释放远超正常水平的多巴胺。人会感到异常兴奋、不觉得累、不想睡觉。
【旁白】可是大脑会“自我保护”：刺激太强，它就减少接收信号的受体。于是，原来能让人开心的事情变得索然无味，只有毒品才能带来感觉，而且需要的剂量越来越大。这就是耐受和依赖。
【旁白】长期使用冰毒，还可能出现失眠、焦虑、幻听幻视、总觉得有人要害自己等精神症状，心脏和牙齿也会受到严重损害。
【旁白】青少年的大脑前额叶还在发育，这个区域负责判断和自控。越早接触毒品，对大脑的伤害越深。
【旁白】好消息是：大脑有可塑性。远离毒品、规律作息、运动和良好的人际关系，能帮助大脑逐步恢复。已经陷入困境的人，也可以通过科学的戒毒治疗和社区康复重新开始。
【旁白】记住：好奇心不是试一试的理由。对毒品，第一口就要说“不”。"""

TRANSCRIPT_RECOVERY = """\
【阿城】我叫阿城，这是化名。今年三十四岁，在社区康复已经是第三年了。
【阿城】我第一次碰冰毒是二十六岁，在朋友的生日聚会上。有人说“提神的，不上瘾”，我想着试一次没什么。后来一次变成了很多次。
【阿城】那几年我白天晚上颠倒，工作丢了，跟家里人吵架，总觉得别人在背后议论我、要害我。我妈来出租屋找我，我连门都没开。
【阿城】被查获以后，我经历了强制隔离戒毒。刚出来的时候，我很怕回到原来的环境，也怕别人知道我的过去。
【阿城】社区的禁毒社工小周每周都会来找我聊天。她不催我、不训我，只是问我这一周睡得怎么样、有没有遇到难处。她帮我联系了心理咨询，还帮我报名了电工培训。
【阿城】最难的是想吸的念头突然冒上来的时候。咨询师教我一个办法：先停下来，深呼吸，离开那个地方，给信任的人打电话。念头像海浪，会涨起来，也会退下去。
【阿城】有一个晚上，想吸的念头特别强烈。我给小周发了信息，她陪我聊到凌晨。那天我没有碰。第二天我对自己说：你做到了。
【阿城】现在我在一家物业公司做电工，每天按时上下班。上个月，我妈生日，我给她买了一个蛋糕。她哭了，我也哭了。
【阿城】我想对正在戒毒的朋友说：路不好走，但不是一个人走。对还没碰过的年轻人说：千万别试，那一口的代价，是好几年的人生。"""

TRANSCRIPT_PSA = """\
【禁毒宣传大使 林老师】大家好，我是一名中学老师，也是本省的禁毒宣传志愿者。
【林老师】有些毒品会伪装成奶茶、跳跳糖、邮票、咖啡包，甚至是外观普通的电子烟。它们颜色鲜艳、包装可爱，专门骗好奇心强的年轻人。
【林老师】请记住三句话：陌生人给的饮料和零食不要接；包装奇怪、来历不明的东西不要碰；聚会上有人劝你“试一试”，马上离开。
【林老师】如果你发现身边有人涉毒，或者自己需要帮助，可以告诉家长、老师，或者联系当地禁毒部门和社区戒毒社区康复工作站。紧急情况请拨打110。
【林老师】珍爱生命，远离毒品。我们一起守护健康的青春。"""

TRANSCRIPT_METHADONE = """\
【医生】您好，我是社区药物维持治疗门诊的医生。很多人问：美沙酮是不是“用一种毒品换另一种毒品”？
【医生】不是这样的。美沙酮是在医生管理下使用的治疗药物，针对的是海洛因等阿片类物质依赖。它作用时间长，每天在门诊口服一次，可以减轻戒断反应和对毒品的渴求。
【医生】服药在门诊当面进行，剂量由医生评估调整。这样可以减少注射吸毒，降低感染艾滋病和丙肝的风险，也让人能够稳定地工作和照顾家庭。
【医生】美沙酮对冰毒等兴奋剂类毒品没有治疗作用。要不要参加、怎么参加，请到当地维持治疗门诊或咨询当地禁毒部门，由医生评估。
【医生】治疗期间不要同时饮酒或使用其他镇静类药物，以免发生危险。坚持治疗，配合心理支持，很多人已经重新过上了正常生活。"""

MEDIA: tuple[DemoMedia, ...] = (
    DemoMedia(
        key="poster-626",
        kind="IMAGE",
        title="国际禁毒日宣传海报",
        alt_text="红色海报，大字写着“6·26 国际禁毒日”，下方标语“珍爱生命，远离毒品”，画面中一群学生手拉手站在阳光下。",
        caption="6月26日是国际禁毒日：珍爱生命，远离毒品。",
        transcript=None,
        generator="poster_png",
        args={
            "title": "26 June - International Day against Drug Abuse",
            "subtitle": "Zhen'ai shengming, yuanli dupin / Cherish life, stay away from drugs",
            "palette": "crimson",
        },
    ),
    DemoMedia(
        key="poster-disguised-drugs",
        kind="IMAGE",
        title="识破伪装：新型毒品长什么样",
        alt_text="海报上排列着奶茶包、跳跳糖、邮票、咖啡包和电子烟的图案，每个图案旁都有一个红色问号，标题为“它们可能是毒品”。",
        caption="奶茶包、跳跳糖、邮票、咖啡包、电子烟：新型毒品常常伪装成这些样子。",
        transcript=None,
        generator="poster_png",
        args={
            "title": "It may look like candy - it may be a drug",
            "subtitle": "Milk tea packs, popping candy, stamps, coffee sachets, e-cigarettes",
            "palette": "amber",
        },
    ),
    DemoMedia(
        key="comic-refuse",
        kind="IMAGE",
        title="漫画：拒绝毒品四步走",
        alt_text="四格漫画。第一格：聚会上有人递来一根电子烟；第二格：女孩摇头说“不用了”；第三格：对方继续劝，女孩说“我要回家了”；第四格：女孩和同伴一起离开，并把事情告诉了老师。",
        caption="拒绝毒品四步走：明确说“不”、马上离开、和同伴一起走、告诉老师。",
        transcript=None,
        generator="comic_strip_png",
        args={
            "panels": [
                "At a party, someone offers an e-cigarette.",
                "She says clearly: No, thanks.",
                "He insists. She says: I have to go home now.",
                "She leaves with a friend and tells a teacher.",
            ]
        },
    ),
    DemoMedia(
        key="comic-vape-trap",
        kind="IMAGE",
        title="漫画：“上头电子烟”的陷阱",
        alt_text="三格漫画。第一格：网友私信推销“上头电子烟”，说很解压；第二格：男孩吸了几口后头晕、站不稳；第三格：医生告诉他烟油里掺了依托咪酯，这是国家管制的精神药品。",
        caption="“上头电子烟”里可能掺有依托咪酯，这是国家管制的精神药品。",
        transcript=None,
        generator="comic_strip_png",
        args={
            "panels": [
                "An online 'friend' sells a 'relaxing' vape.",
                "After a few puffs he feels dizzy and cannot stand.",
                "Doctor: the liquid contained etomidate, a controlled drug.",
            ]
        },
    ),
    DemoMedia(
        key="poster-law",
        kind="IMAGE",
        title="法律红线：贩毒、容留他人吸毒都是犯罪",
        alt_text="深蓝色海报，中央是一架天平，旁边写着“贩卖毒品，无论数量多少都要追究刑事责任”“容留他人吸毒也是犯罪”。",
        caption="贩卖毒品无论数量多少都要追究刑事责任，容留他人吸毒也是犯罪。",
        transcript=None,
        generator="poster_png",
        args={
            "title": "Know the law",
            "subtitle": "Selling drugs in any amount, or letting others use drugs in your place, is a crime",
            "palette": "indigo",
        },
    ),
    DemoMedia(
        key="poster-help",
        kind="IMAGE",
        title="需要帮助时，你可以找谁",
        alt_text="绿色海报，画着一只伸出的手和四个图标：家人、老师、社区工作站、医生，标题为“求助不丢人，我们在这里”。",
        caption="求助不丢人：家人、老师、社区工作站和医生都可以帮你。",
        transcript=None,
        generator="poster_png",
        args={
            "title": "Asking for help is strength",
            "subtitle": "Family - teachers - community rehab stations - doctors - local anti-drug office",
            "palette": "green",
        },
    ),
    DemoMedia(
        key="poster-recovery",
        kind="IMAGE",
        title="戒毒康复：一条可以走通的路",
        alt_text="青绿色海报，一条蜿蜒的小路通向日出，路边标注着“脱毒”“康复”“回归社会”三个路牌。",
        caption="戒毒康复是一条可以走通的路：脱毒、康复、回归社会。",
        transcript=None,
        generator="poster_png",
        args={
            "title": "Recovery is a road you can walk",
            "subtitle": "Detox - rehabilitation - back to family and work",
            "palette": "teal",
        },
    ),
    DemoMedia(
        key="audio-brain",
        kind="AUDIO",
        title="音频课：毒品如何“劫持”大脑",
        alt_text=None,
        transcript=TRANSCRIPT_BRAIN,
        generator="tone_wav",
        args={"seconds": 12},
    ),
    DemoMedia(
        key="audio-acheng",
        kind="AUDIO",
        title="阿城的讲述：在社区康复的第三年",
        alt_text=None,
        transcript=TRANSCRIPT_RECOVERY,
        generator="tone_wav",
        args={"seconds": 15},
    ),
    DemoMedia(
        key="audio-psa-ambassador",
        kind="AUDIO",
        title="禁毒宣传大使公益广播：识破伪装的毒品",
        alt_text=None,
        transcript=TRANSCRIPT_PSA,
        generator="tone_wav",
        args={"seconds": 8},
    ),
    DemoMedia(
        key="audio-methadone",
        kind="AUDIO",
        title="医生讲解：美沙酮维持治疗是什么",
        alt_text=None,
        transcript=TRANSCRIPT_METHADONE,
        generator="tone_wav",
        args={"seconds": 10},
    ),
    DemoMedia(
        key="pdf-middle-school-deck",
        kind="DOCUMENT",
        title="初中禁毒主题班会课件",
        alt_text=None,
        transcript=None,
        generator="courseware_pdf",
        args={
            "title": "Middle School Drug Prevention Class Meeting",
            "pages": [
                "1. What is a drug? Opium, heroin, methamphetamine (bingdu), morphine, cannabis, cocaine and other controlled substances.",
                "2. Disguised new drugs: milk tea packs, popping candy, stamps, coffee sachets, e-cigarettes.",
                "3. Four ways to say no: refuse clearly, leave, change the topic, tell an adult.",
                "4. 26 June is the International Day against Drug Abuse.",
            ],
        },
    ),
    DemoMedia(
        key="pdf-high-school-law",
        kind="DOCUMENT",
        title="高中禁毒法治课件：法律红线",
        alt_text=None,
        transcript=None,
        generator="courseware_pdf",
        args={
            "title": "The Law and Drugs - High School Courseware",
            "pages": [
                "1. Anti-Drug Law of the PRC, in force since 1 June 2008.",
                "2. Criminal Law art. 347: selling drugs is punished regardless of the amount.",
                "3. Criminal Law art. 354: sheltering others to use drugs is a crime.",
                "4. Drug use: administrative detention and fines; treatment and rehabilitation.",
                "5. Community detox lasts three years; community rehabilitation up to three years.",
            ],
        },
    ),
    DemoMedia(
        key="pdf-parent-guide",
        kind="DOCUMENT",
        title="家长禁毒指南（可打印）",
        alt_text=None,
        transcript=None,
        generator="courseware_pdf",
        args={
            "title": "A Parent's Guide to Drug Prevention",
            "pages": [
                "1. Talk early, talk often, listen more than you speak.",
                "2. Warning signs: sudden change of friends, money missing, sleep changes, secrecy.",
                "3. If you are worried: stay calm, talk, seek professional help from the local anti-drug office.",
            ],
        },
    ),
)

MEDIA += tuple(
    DemoMedia(
        key=video.key,
        kind="VIDEO",
        title=video.title,
        alt_text=None,
        transcript=video.transcript,
        generator="video_file",
        args={"file": f"{video.key}.mp4"},
        captions=_tracks(video),
    )
    for video in VIDEOS
)

MEDIA_BY_KEY: dict[str, DemoMedia] = {m.key: m for m in MEDIA}
