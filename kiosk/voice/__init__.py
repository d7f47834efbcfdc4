"""Voice: read every screen aloud and let residents answer and search by speaking. No Kivy.

Devices (kiosk/devices), in kiosk/bootstrap.py:
    devices = make_speech(cfg, faults)                 # kiosk.devices.speech: both, one gate
    or separately:
    speaker = make_speaker(cfg, faults, gate)          # kiosk.devices.tts → Speaker port
    recognizer = make_recognizer(cfg, faults, gate)    # kiosk.devices.asr → Recognizer port
    Share one SpeechGate (kiosk.devices.speech_gate) between them: the microphone is muted
    while the kiosk speaks. Both always return an object; `unavailable()` says why it cannot
    work (no espeak-ng, no audio device, no model: "[speech] model", no microphone).

Dialogue (kiosk/voice/dialogue.py), what the touchscreen calls:
    voice = VoiceController(speaker, recognizer, on_event, search=search_service, engine=engine)
    voice.show(screen, locale)       after every screen change made by touch: reads it aloud
    voice.say(text, locale)          UI chrome (already localised): scrubbed of personal data
    voice.touch()                    on ANY touch: speech stops at once, a voice turn ends
    voice.replay()                   the replay button: says the last text again
    voice.mic_reason() -> str|None   None: show the mic button; else why not (for staff, logs)
    voice.mic_notice(locale)         the same for residents: plain words in their language
    voice.listen_flow(session)       the mic button on a flow screen
    voice.listen_search(locale)      the mic button on the home/search screen
    voice.reset()                    idle reset: silence, default rate and volume, forget
    voice.louder() / voice.softer() -> new volume 0..1; voice.set_rate(wpm)   (reset() restores)

    on_event(VoiceEvent) is called on the recogniser's thread (wrap it with @mainthread):
      listening                 the mic is open: animate the mic button
      heard(text, phrase)       what was recognised and what it was taken to mean
      confirming(text)          "you said 3500 yuan, right?": show the value being confirmed
      screen(screen, session)   the engine moved by voice: show this screen (don't call show())
      results(hits, text)       search results for the dictated words: show them
      pick(value, session)      a result was chosen by voice: the flow has started (session)
      command(value)            "home" or "staff": navigate there
      offer_buttons             two misses: highlight the buttons (the turn has ended)
      unavailable(reason)       the mic cannot work: show the reason, keep touch
      ended(reason)             outcome | action (do the action) | command | touch | buttons |
                                picked | fault

Pieces: events.py (VoiceEvent; the checks before an answer is taken), grammar.py (phrases
a screen allows, for the recogniser and for snapping), snap.py (nearest phrase, homophones
via pinyin), numbers.py (三千五 → 3500 via cn2an, dates), spoken.py (what each screen says;
personal data never), words.py (commands, prompts), cli.py (`kiosk say`, `kiosk listen`).
"""
