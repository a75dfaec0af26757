"""Scripts of the demo videos of the AUDIOVISUAL shelf (视听禁毒).

``demo/make_videos.py`` renders each script into ``demo/videos/<key>.mp4`` (frames drawn with Pillow
and a CJK font, Mandarin narration by espeak-ng, H.264 and AAC by ffmpeg) and writes one WebVTT file
per caption track, its cues timed to the narration. The files are committed: the seed copies them in
and needs none of those tools. All scenes and voices are generated; nobody real is shown or heard.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoScene:
    """One scene: a heading drawn on the frames while ``line`` is spoken (and shown as one cue).

    ``translations`` maps a subtitle language (BCP 47) to the line in that language, timed the same.
    """

    heading: str
    line: str
    translations: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class DemoVideo:
    """A video's script; ``key`` is the DemoMedia key (and the file names under demo/videos/)."""

    key: str
    title: str
    palette: int  # index into media.generate.PALETTES
    scenes: tuple[DemoScene, ...]

    @property
    def transcript(self) -> str:
        """What is said, in order: the asset's transcript (the zh-CN captions say the same)."""
        return "\n".join(scene.line for scene in self.scenes)


VIDEOS: tuple[DemoVideo, ...] = (
    DemoVideo(
        key="video-brain",
        title="视频课：毒品如何“劫持”大脑",
        palette=0,
        scenes=(
            DemoScene(
                "奖赏系统",
                "大脑里有一套奖赏系统，让我们感到快乐。",
                (("en", "The brain has a reward system that makes us feel good."),),
            ),
            DemoScene(
                "多巴胺",
                "冰毒让大脑释放远超正常的多巴胺。",
                (("en", "Meth floods the brain with far more dopamine than normal."),),
            ),
            DemoScene(
                "耐受与依赖",
                "刺激太强，平常的快乐就变得没有味道。",
                (("en", "After such a rush, everyday joys feel flat."),),
            ),
            DemoScene(
                "第一口就说不",
                "对毒品，第一口就要说不。",
                (("en", "Say no to drugs, from the very first time."),),
            ),
        ),
    ),
    DemoVideo(
        key="video-626",
        title="视频：6·26国际禁毒日",
        palette=2,
        scenes=(
            DemoScene("6·26", "每年六月二十六日是国际禁毒日。"),
            DemoScene("联合国", "这个日子由联合国大会确定。"),
            DemoScene("珍爱生命", "珍爱生命，远离毒品。"),
        ),
    ),
    DemoVideo(
        key="video-methadone",
        title="视频：美沙酮维持治疗三问",
        palette=1,
        scenes=(
            DemoScene("是什么", "美沙酮在医生管理下每天口服。"),
            DemoScene("治什么", "它针对海洛因等阿片类物质依赖。"),
            DemoScene("要注意", "它对冰毒没有治疗作用，治疗期间不要饮酒。"),
        ),
    ),
)

VIDEOS_BY_KEY: dict[str, DemoVideo] = {v.key: v for v in VIDEOS}
