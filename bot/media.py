"""What a Telegram message carries, as the hotline keeps it: a file id with its length or size."""

from __future__ import annotations

from aiogram.types import Message

from bot.domain.hotline import Media, MediaKind


def media_of(message: Message) -> Media | None:
    """The voice, video note, video, audio, file or photo of a message (the largest photo)."""
    if message.voice:
        voice = message.voice
        return Media(MediaKind.VOICE, voice.file_id, voice.duration, voice.file_size)
    if message.video_note:
        note = message.video_note
        return Media(MediaKind.VIDEO_NOTE, note.file_id, note.duration, note.file_size)
    if message.video:
        video = message.video
        return Media(MediaKind.VIDEO, video.file_id, video.duration, video.file_size)
    if message.audio:
        audio = message.audio
        return Media(MediaKind.AUDIO, audio.file_id, audio.duration, audio.file_size)
    if message.document:
        document = message.document
        return Media(MediaKind.DOCUMENT, document.file_id, None, document.file_size)
    if message.photo:
        photo = message.photo[-1]
        return Media(MediaKind.PHOTO, photo.file_id, None, photo.file_size)
    return None
