# Screen blanking: the black screen's accessible label (a touch only wakes it).
screen-wake = Toque para encender la pantalla
